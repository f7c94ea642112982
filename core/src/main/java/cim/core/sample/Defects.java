package cim.core.sample;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Planted invalid values, each of a kind a quality rule must find; recorded in the --defects file. */
final class Defects {
    /** The kinds, as the defects file names them. */
    static final List<String> KINDS = List.of("bad_checksum", "impossible_date", "gender_mismatch",
            "malformed_phone", "malformed_email", "malformed_postal_code");

    private final Random random;

    Defects(Random random) {
        this.random = random;
    }

    /** Plants one defect that fits the record; returns {field, kind}, or null when none fits. */
    String[] plant(Map<String, String> r) {
        for (int tries = 0; tries < 6; tries++) {
            String kind = KINDS.get(random.nextInt(KINDS.size()));
            String[] planted = plant(r, kind);
            if (planted != null) {
                return planted;
            }
        }
        return null;
    }

    private String[] plant(Map<String, String> r, String kind) {
        String id = r.get("id_number");
        boolean plainId = id != null && id.length() == 18 && id.chars().allMatch(c -> c < 128);
        switch (kind) {
            case "bad_checksum" -> {
                if (!plainId) {
                    return null;
                }
                char check = Character.toUpperCase(id.charAt(17));
                char wrong = check == '0' ? '1' : check == 'X' ? '0' : (char) (check == '9' ? '0' : check + 1);
                r.put("id_number", id.substring(0, 17) + wrong);
                return new String[] {"id_number", kind};
            }
            case "impossible_date" -> {
                if (r.get("birth_date") == null || r.containsKey("uscc")) {
                    return null;
                }
                r.put("birth_date", (1950 + random.nextInt(50)) + "-02-30");
                return new String[] {"birth_date", kind};
            }
            case "gender_mismatch" -> {
                if (!plainId || r.get("gender") == null) {
                    return null;
                }
                r.put("gender", "男".equals(r.get("gender")) ? "女" : "男");
                return new String[] {"gender", kind};
            }
            case "malformed_phone" -> {
                String mobile = r.get("mobile");
                if (mobile == null || mobile.length() != 11) {
                    return null;
                }
                r.put("mobile", mobile.substring(0, 10));
                return new String[] {"mobile", kind};
            }
            case "malformed_email" -> {
                String email = r.get("email");
                if (email == null) {
                    return null;
                }
                r.put("email", random.nextBoolean() ? email.substring(0, email.indexOf('@') + 1)
                        : email.replace("@", "."));
                return new String[] {"email", kind};
            }
            default -> {
                String postal = r.get("postal_code");
                if (postal == null) {
                    return null;
                }
                r.put("postal_code", postal.substring(0, 5));
                return new String[] {"postal_code", kind};
            }
        }
    }
}
