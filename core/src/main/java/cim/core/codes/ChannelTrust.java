package cim.core.codes;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The order in which channels are trusted when their values for a field disagree (golden-record survivorship):
 * a channel earlier in the list wins; channels not listed come after, alike.
 */
public record ChannelTrust(List<String> order) implements Serializable {
    /**
     * The built-in policy's order (a test holds them equal): channels that check documents before those that take
     * what is typed.
     */
    public static final String DEFAULT = "direct,agent,broker,bank,car,telesales,web,wechat";

    public static ChannelTrust parse(String text) {
        String value = text == null || text.isBlank() ? DEFAULT : text;
        return new ChannelTrust(Arrays.stream(value.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList());
    }

    int rank(String channel) {
        int index = order.indexOf(channel == null ? "" : channel.toLowerCase(Locale.ROOT));
        return index < 0 ? order.size() : index;
    }
}
