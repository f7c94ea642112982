package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A file to import: its format, its encoding (UTF-8 with or without BOM, or GB18030), and its SHA-256. Opening it
 * reads it once to check the whole file decodes (naming the byte offset where it does not) and to hash it, so
 * that nothing is imported from a file that would fail half-way, and a file already loaded is recognised.
 */
public record InputFile(Path path, Format format, Charset charset, String sha256, long bytes) {
    /** The input formats. */
    public enum Format { CSV, JSONL }

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    public static InputFile open(Path path, Format format, String encoding) {
        if (Files.isDirectory(path)) {
            throw new CimException(Failure.INPUT, "cannot read " + path + ": it is a directory",
                    "give the files in it (e.g. " + path + "/*.csv)");
        }
        Format chosen = format != null ? format : byExtension(path);
        Charset charset = charset(encoding);
        byte[] head = head(path);
        refuseUtf16(path, head);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long total = 0;
        // a file declared GB18030 that is valid UTF-8 with Chinese text in it is UTF-8: decoded as GB18030 it would be
        // stored as mojibake (exit 0); real GB18030 Chinese text is practically never valid UTF-8
        CharsetDecoder utf8 = charset.equals(StandardCharsets.UTF_8) ? null : StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer utf8Pending = utf8 == null ? null : ByteBuffer.allocate((1 << 16) + 16);
        CharBuffer utf8Out = utf8 == null ? null : CharBuffer.allocate(1 << 16);
        boolean utf8Valid = utf8 != null;
        boolean nonAscii = false;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] chunk = new byte[1 << 16];
            ByteBuffer pending = ByteBuffer.allocate((1 << 16) + 16);
            CharBuffer out = CharBuffer.allocate(1 << 16);
            long decodedUpTo = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                sha.update(chunk, 0, n);
                total += n;
                if (utf8Valid) {
                    for (int i = 0; i < n && !nonAscii; i++) {
                        nonAscii = chunk[i] < 0;
                    }
                    utf8Pending.put(chunk, 0, n).flip();
                    utf8Valid = !utf8.decode(utf8Pending, utf8Out, false).isError();
                    utf8Pending.compact();
                    utf8Out.clear();
                }
                pending.put(chunk, 0, n).flip();
                CoderResult result = decoder.decode(pending, out, false);
                if (result.isError()) {
                    throw badEncoding(path, head, charset, decodedUpTo + pending.position());
                }
                decodedUpTo += pending.position();
                pending.compact();
                out.clear();
            }
            pending.flip();
            if (decoder.decode(pending, out, true).isError() || pending.hasRemaining()) {
                throw badEncoding(path, head, charset, decodedUpTo + pending.position());
            }
            if (utf8Valid && nonAscii) {
                utf8Pending.flip();
                if (!utf8.decode(utf8Pending, utf8Out, true).isError() && !utf8Pending.hasRemaining()) {
                    throw new CimException(Failure.INPUT, path + " is declared " + charset.name() + " (--encoding) but "
                            + "is UTF-8: read as " + charset.name() + " its Chinese text would be stored garbled",
                            "leave out --encoding (UTF-8 is the default), or convert the file");
                }
            }
        } catch (NoSuchFileException e) {
            throw new CimException(Failure.INPUT, "cannot read " + path + ": no such file", "check the path");
        } catch (IOException e) {
            throw new CimException(Failure.INPUT, "cannot read " + path + ": " + e.getMessage(),
                    "check that it is a readable file");
        }
        return new InputFile(path, chosen, charset, HexFormat.of().formatHex(sha.digest()), total);
    }

    /** The first bytes of the file (none if it cannot be read: the read that follows says why). */
    private static byte[] head(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(8192);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * UTF-16, with a byte order mark, or without one: ASCII text with a NUL as every other byte (at least half the
     * bytes at odd offsets NUL, or at even ones, and hardly any at the others; a zero-filled block, the damage a CSV
     * file may carry, has them at both and is left to the rows it spoils).
     */
    private static void refuseUtf16(Path path, byte[] head) {
        boolean mark = head.length >= 2 && (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE
                || head[0] == (byte) 0xFE && head[1] == (byte) 0xFF);
        int[] nuls = new int[2];
        for (int i = 0; i < head.length; i++) {
            nuls[i % 2] += head[i] == 0 ? 1 : 0;
        }
        int half = head.length / 2;
        boolean interleaved = head.length >= 16 && (nuls[0] * 2 >= half && nuls[1] * 10 < half
                || nuls[1] * 2 >= half && nuls[0] * 10 < half);
        if (mark || interleaved) {
            throw new CimException(Failure.INPUT, path + (mark ? " is UTF-16 (it begins with a UTF-16 byte order mark)"
                    : " is UTF-16 without a byte order mark (a NUL byte every other byte)")
                    + "; cim reads UTF-8 or GB18030", "convert it, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.csv, "
                    + "or save it from the spreadsheet as 'CSV UTF-8'");
        }
    }

    /** @param head the file's first bytes ({@link #head}) */
    private static CimException badEncoding(Path path, byte[] head, Charset charset, long offset) {
        for (byte b : head) {
            if (b == 0) {
                return new CimException(Failure.INPUT, path + " is not a text file: it holds NUL bytes near its "
                        + "start (invalid " + charset.name() + " at byte offset " + offset + ")",
                        "give the CSV or JSON Lines file itself, not a spreadsheet, archive or program");
            }
        }
        return new CimException(Failure.INPUT, path + " is not valid " + charset.name() + " at byte offset " + offset,
                charset == StandardCharsets.UTF_8 ? "if it comes from a Chinese Windows system, try --encoding GB18030"
                        : "check the file's encoding and give it with --encoding");
    }

    private static Format byExtension(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Format.JSONL;
        }
        throw new CimException(Failure.USAGE, "cannot tell the format of " + path + " from its name",
                "give --format csv or --format jsonl");
    }

    private static Charset charset(String encoding) {
        if (encoding == null || encoding.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        String e = encoding.strip().toUpperCase(Locale.ROOT).replace("_", "-");
        return switch (e) {
            case "UTF-8", "UTF8" -> StandardCharsets.UTF_8;
            case "GB18030", "GBK", "GB2312" -> Charset.forName("GB18030");
            default -> throw new CimException(Failure.USAGE, "unsupported encoding '" + encoding + "'",
                    "use --encoding UTF-8 (default) or GB18030 (which also reads GBK and GB2312)");
        };
    }

    /** A reader over the decoded text, without the UTF-8 byte-order mark. */
    public Reader reader() throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        if (charset == StandardCharsets.UTF_8) {
            in.mark(3);
            byte[] head = in.readNBytes(3);
            if (!java.util.Arrays.equals(head, UTF8_BOM)) {
                in.reset();
            }
        }
        return new java.io.BufferedReader(new InputStreamReader(in, charset), 1 << 16);
    }
}
