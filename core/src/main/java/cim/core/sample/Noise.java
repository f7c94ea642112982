package cim.core.sample;

import java.time.LocalDate;
import java.util.Map;
import java.util.Random;

/**
 * The ways a channel's copy of a customer differs from the truth without being wrong: full-width digits, a
 * 15-digit legacy ID, a lower-case x, homophone characters in the name, a prospect without ID or birth date, a
 * reformatted or changed phone, an abbreviated address, another date format, stray blanks.
 */
final class Noise {
    private final Random random;
    private final EntityFactory factory;

    Noise(Random random, EntityFactory factory) {
        this.random = random;
        this.factory = factory;
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /** Applies noise to a rendered record; {@code heavy} for later copies of a customer, which differ more. */
    void apply(Map<String, String> r, String channel, boolean heavy) {
        int p = heavy ? 25 : 4;
        boolean prospectChannel = channel.equals("web") || channel.equals("wechat") || channel.equals("telesales");
        if (r.get("id_number") != null && prospectChannel && chance(heavy ? 40 : 15)) {
            r.remove("id_number");
            r.remove("id_type");
            if (chance(60)) {
                r.remove("birth_date");
            }
        }
        String id = r.get("id_number");
        if (id != null) {
            if (chance(p / 2) && id.startsWith("19", 6)) {
                id = id.substring(0, 6) + id.substring(8, 17);
            } else if (id.endsWith("X") && chance(50)) {
                id = id.substring(0, 17) + "x";
            }
            if (chance(p / 2)) {
                id = fullWidth(id);
            }
            r.put("id_number", id);
        }
        if (r.get("name") != null && chance(p)) {
            r.put("name", homophone(r.get("name")));
        }
        if (r.get("name") != null && chance(p / 2)) {
            r.put("name", r.get("name").length() == 2 ? r.get("name").charAt(0) + " " + r.get("name").charAt(1)
                    : " " + r.get("name") + " ");
        }
        String mobile = r.get("mobile");
        if (mobile != null && chance(p)) {
            r.put("mobile", switch (random.nextInt(5)) {
                case 0 -> mobile.substring(0, 3) + " " + mobile.substring(3, 7) + " " + mobile.substring(7);
                case 1 -> "+86-" + mobile;
                case 2 -> fullWidth(mobile);
                case 3 -> "86 " + mobile;
                default -> factory.mobile();
            });
        }
        if (r.get("address") != null && chance(p)) {
            String address = r.get("address");
            int district = Math.max(address.indexOf('区'), address.indexOf('县'));
            r.put("address", random.nextBoolean() && district > 0 ? address.substring(district - 2)
                    : address.replaceAll("\\d+号$", ""));
        }
        String birth = r.get("birth_date");
        if (birth != null && chance(p)) {
            LocalDate date = LocalDate.parse(birth);
            r.put("birth_date", random.nextBoolean() ? birth.replace("-", "")
                    : date.getYear() + "/" + date.getMonthValue() + "/" + date.getDayOfMonth());
        }
        if (r.get("email") != null && chance(p / 2)) {
            r.put("email", r.get("email").toUpperCase(java.util.Locale.ROOT));
        }
    }

    private String homophone(String name) {
        char[] chars = name.toCharArray();
        for (int tries = 0; tries < 4; tries++) {
            int i = random.nextInt(chars.length);
            Character alike = SampleData.HOMOPHONES.get(chars[i]);
            if (alike != null) {
                chars[i] = alike;
                return new String(chars);
            }
        }
        return name;
    }

    static String fullWidth(String text) {
        StringBuilder wide = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            wide.append(c >= '0' && c <= '9' ? (char) (c - '0' + 0xFF10) : c);
        }
        return wide.toString();
    }
}
