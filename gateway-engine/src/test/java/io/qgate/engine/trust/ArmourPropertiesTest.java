package io.qgate.engine.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ArmourPropertiesTest {
    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.of(Armour.CERTIFICATE, Armour.REVOCATION_LIST, Armour.PRIVATE_KEY);
    }

    @Property(tries = 500)
    void everyByteStringRoundTrips(@ForAll("labels") String label, @ForAll @Size(min = 1, max = 3000) byte[] data) {
        assertArrayEquals(data, Armour.decode(Armour.encode(label, data), label));
    }

    @Property(tries = 1000)
    void garbageIsRefusedOnlyWithIllegalArgument(@ForAll String text) {
        decodeOrRefuse(text);
    }

    @Property(tries = 1000)
    void damagedArmourIsRefusedOnlyWithIllegalArgument(@ForAll @Size(min = 1, max = 300) byte[] data,
                                                       @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                       @ForAll char replacement) {
        String text = Armour.encode(Armour.CERTIFICATE, data);
        int at = position % text.length();
        decodeOrRefuse(text.substring(0, at) + replacement + text.substring(at + 1));
        decodeOrRefuse(text.substring(0, at));
    }

    private static void decodeOrRefuse(String text) {
        try {
            Armour.decode(text, Armour.CERTIFICATE);
        } catch (IllegalArgumentException refused) {
            if (refused.getMessage() == null || !refused.getMessage().startsWith("the QGATE CERTIFICATE text")) {
                throw new AssertionError("refusal without a cause: " + refused.getMessage(), refused);
            }
        }
    }
}
