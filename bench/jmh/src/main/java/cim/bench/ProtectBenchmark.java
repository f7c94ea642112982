package cim.bench;

import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of protecting one tier-1 value as every writer does (seal + blind index), and of reading it back, against
 * a baseline of the bare JDK primitives (AES-256-GCM with a random nonce + HMAC-SHA256) on the same input.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProtectBenchmark {
    private static final String ID = "11010519491231002X";

    private FieldProtector protector;
    private String sealed;
    private SecretKey aesKey;
    private Mac mac;
    private final SecureRandom random = new SecureRandom();

    @Setup
    public void setUp() throws Exception {
        protector = new FieldProtector(Keyring.generate());
        sealed = protector.seal(CustomerField.ID_NUMBER, ID);
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        aesKey = generator.generateKey();
        mac = Mac.getInstance("HmacSHA256");
        byte[] macKey = new byte[32];
        random.nextBytes(macKey);
        mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
    }

    @Benchmark
    public void sealAndBlindIndex(Blackhole hole) {
        hole.consume(protector.seal(CustomerField.ID_NUMBER, ID));
        hole.consume(protector.blindIndex(CustomerField.ID_NUMBER, ID));
    }

    @Benchmark
    public String open() {
        return protector.open(CustomerField.ID_NUMBER, sealed);
    }

    @Benchmark
    public void baselineJdkAesGcmAndHmac(Blackhole hole) throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
        cipher.updateAAD("id_number".getBytes(StandardCharsets.UTF_8));
        hole.consume(cipher.doFinal(ID.getBytes(StandardCharsets.UTF_8)));
        hole.consume(mac.doFinal(("id_number\u0000" + ID).getBytes(StandardCharsets.UTF_8)));
    }
}
