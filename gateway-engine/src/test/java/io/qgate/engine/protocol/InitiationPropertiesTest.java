package io.qgate.engine.protocol;

import static io.qgate.engine.fuzz.ParserContract.parsedOrRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of the {@code INITIATION} body codec (section 5.2 of {@code docs/PROTOCOL.md}). */
class InitiationPropertiesTest {
    @Property(tries = 300)
    void everyValidInitiationRoundTripsFieldByField(@ForAll("initiations") Initiation initiation) throws ProtocolException {
        Initiation parsed = Initiation.parse(initiation.encode());
        assertArrayEquals(initiation.cookie(), parsed.cookie());
        assertEquals(initiation.timestampMillis(), parsed.timestampMillis());
        assertArrayEquals(initiation.random(), parsed.random());
        assertEquals(initiation.flags(), parsed.flags());
        assertSame(initiation.chosenSuite(), parsed.chosenSuite());
        assertArrayEquals(initiation.offeredSuites(), parsed.offeredSuites());
        assertArrayEquals(initiation.ephemeralKey(), parsed.ephemeralKey());
        assertEquals(initiation.paddingLength(), parsed.paddingLength());
        assertEquals(initiation.encode().length,
            Initiation.unpaddedLength(initiation.chosenSuite(), initiation.offeredSuites().length)
                + initiation.paddingLength());
    }

    @Property(tries = 300)
    void everyTruncatedInitiationIsRefused(@ForAll("initiations") Initiation initiation, @ForAll int cut) {
        CodecProperties.assertTruncationRefused(Initiation::parse, initiation.encode(), cut);
    }

    @Property(tries = 300)
    void everyExtendedInitiationIsRefused(@ForAll("initiations") Initiation initiation,
            @ForAll @Size(min = 1, max = 40) byte[] extra) {
        CodecProperties.assertExtensionRefused(Initiation::parse, initiation.encode(), extra);
    }

    @Property(tries = 300)
    void aChangedByteParsesToItselfOrIsRefused(@ForAll("initiations") Initiation initiation, @ForAll int position,
            @ForAll byte flip) {
        byte[] changed = CodecProperties.mutated(initiation.encode(), position, flip);
        Initiation parsed = parsedOrRefused(() -> Initiation.parse(changed), ErrorCode.MALFORMED_MESSAGE,
            ErrorCode.UNSUPPORTED_SUITE);
        if (parsed != null) {
            assertArrayEquals(changed, parsed.encode());
        }
    }

    @Property
    void randomBytesAreParsedOrRefusedWithADocumentedCode(@ForAll @Size(max = 200) byte[] bytes) {
        parsedOrRefused(() -> Initiation.parse(bytes), ErrorCode.MALFORMED_MESSAGE, ErrorCode.UNSUPPORTED_SUITE);
    }

    /** Valid initiations: any suite, 1 to 16 distinct offered ids (known or not) including the chosen one. */
    @Provide
    static Arbitrary<Initiation> initiations() {
        return Arbitraries.of(Suite.class).flatMap(suite -> Combinators.combine(
            bytes(Protocol.COOKIE_LENGTH),
            Arbitraries.longs(),
            bytes(Protocol.RANDOM_LENGTH),
            Arbitraries.of(0, Initiation.FLAG_MUTUAL),
            offered(suite),
            bytes(suite.kem().publicKeyLength()),
            Arbitraries.integers().between(0, 1500))
            .as((cookie, time, random, flags, offered, key, padding) ->
                new Initiation(cookie, time, random, flags, suite, offered, key, padding)));
    }

    private static Arbitrary<byte[]> offered(Suite chosen) {
        Arbitrary<Set<Integer>> others = Arbitraries.integers().between(0, 255).filter(id -> id != chosen.id())
            .set().ofMaxSize(Protocol.MAX_OFFERED_SUITES - 1);
        return Combinators.combine(others, Arbitraries.integers().between(0, Protocol.MAX_OFFERED_SUITES - 1))
            .as((ids, at) -> {
                List<Integer> all = new ArrayList<>(ids);
                all.add(Math.min(at, all.size()), chosen.id());
                byte[] offered = new byte[all.size()];
                for (int i = 0; i < offered.length; i++) {
                    offered[i] = (byte) (int) all.get(i);
                }
                return offered;
            });
    }

    static Arbitrary<byte[]> bytes(int length) {
        return Arbitraries.bytes().array(byte[].class).ofSize(length);
    }
}
