package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.protect.CustomerField;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which canonical field each input column or key holds: the canonical names themselves, the usual Chinese headers
 * (姓名, 证件号码, 手机号 …), and a mapping file of {@code header = field} lines for anything else.
 */
public final class HeaderMapping {
    public static final String SOURCE_SYSTEM = "source_system";
    public static final String SOURCE_KEY = "source_key";
    public static final String CUSTOMER_TYPE = "customer_type";
    public static final String STATUS = "status";
    /** The organisation unit that collected the record (机构代码, 归属机构). */
    public static final String BRANCH = "branch";
    /** When the channel collected the record (采集时间). */
    public static final String COLLECTED_AT = "collected_at";

    /** Every canonical field name. */
    public static final Set<String> CANONICAL = canonical();

    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("来源系统", SOURCE_SYSTEM), Map.entry("渠道", SOURCE_SYSTEM),
            Map.entry("来源编号", SOURCE_KEY), Map.entry("客户编号", SOURCE_KEY), Map.entry("源系统主键", SOURCE_KEY),
            Map.entry("客户类型", CUSTOMER_TYPE), Map.entry("客户状态", STATUS),
            Map.entry("机构代码", BRANCH), Map.entry("归属机构", BRANCH), Map.entry("采集时间", COLLECTED_AT),
            Map.entry("采集日期", COLLECTED_AT),
            Map.entry("姓名", "name"), Map.entry("客户名称", "name"), Map.entry("名称", "name"),
            Map.entry("单位名称", "name"), Map.entry("企业名称", "name"),
            Map.entry("性别", "gender"), Map.entry("出生日期", "birth_date"), Map.entry("生日", "birth_date"),
            Map.entry("证件类型", "id_type"), Map.entry("证件号码", "id_number"), Map.entry("证件号", "id_number"),
            Map.entry("身份证号", "id_number"), Map.entry("身份证号码", "id_number"),
            Map.entry("手机号", "mobile"), Map.entry("手机", "mobile"), Map.entry("手机号码", "mobile"),
            Map.entry("移动电话", "mobile"), Map.entry("电话", "phone"), Map.entry("联系电话", "phone"),
            Map.entry("固定电话", "phone"), Map.entry("电子邮箱", "email"), Map.entry("邮箱", "email"),
            Map.entry("电子邮件", "email"), Map.entry("微信", "wechat"), Map.entry("微信号", "wechat"),
            Map.entry("qq", "qq"), Map.entry("qq号", "qq"), Map.entry("地址", "address"),
            Map.entry("联系地址", "address"), Map.entry("通讯地址", "address"), Map.entry("邮编", "postal_code"),
            Map.entry("邮政编码", "postal_code"), Map.entry("联系人", "contact_person"),
            Map.entry("统一社会信用代码", "uscc"), Map.entry("信用代码", "uscc"), Map.entry("组织机构代码", "org_code"),
            Map.entry("营业执照号", "business_licence"), Map.entry("营业执照号码", "business_licence"),
            Map.entry("行业", "industry"), Map.entry("所属行业", "industry"), Map.entry("企业类型", "enterprise_type"),
            Map.entry("企业规模", "enterprise_size"), Map.entry("信用等级", "credit_rating"));

    private final Map<String, String> extra;

    private HeaderMapping(Map<String, String> extra) {
        this.extra = extra;
    }

    public static HeaderMapping builtIn() {
        return new HeaderMapping(Map.of());
    }

    /** Reads {@code header = field} lines; an unknown field is exit 78 naming the line. */
    public static HeaderMapping read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CimException(Failure.CONFIGURATION, "--mapping: " + file + " is not UTF-8 text",
                    "give a UTF-8 file of 'header = field' lines");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CimException(Failure.CONFIGURATION, "--mapping: cannot read " + file + ": no such file",
                    "check the path");
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "--mapping: cannot read " + file + " (" + e.getMessage()
                    + ")", "give a readable UTF-8 file of 'header = field' lines");
        }
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            String field = eq < 0 ? "" : line.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
            if (eq <= 0 || !CANONICAL.contains(field)) {
                throw new CimException(Failure.CONFIGURATION, file + ":" + (i + 1) + ": expected 'header = field' "
                        + "with a canonical field, found '" + line + "'", "fields: " + String.join(", ", CANONICAL));
            }
            extra.put(key(line.substring(0, eq)), field);
        }
        return new HeaderMapping(extra);
    }

    /** The canonical field of a header, or null when the column is not one cim knows. */
    public String field(String header) {
        String key = key(header);
        String mapped = extra.get(key);
        if (mapped != null) {
            return mapped;
        }
        if (CANONICAL.contains(key)) {
            return key;
        }
        return BUILT_IN.get(key);
    }

    private static String key(String header) {
        return Normalizer.normalize(header, Normalizer.Form.NFKC).strip().replace('\uFEFF', ' ').strip()
                .toLowerCase(Locale.ROOT);
    }

    private static Set<String> canonical() {
        Set<String> names = new LinkedHashSet<>(List.of(SOURCE_SYSTEM, SOURCE_KEY, CUSTOMER_TYPE, STATUS, BRANCH,
                COLLECTED_AT));
        for (CustomerField field : CustomerField.values()) {
            names.add(field.column());
        }
        return names;
    }
}
