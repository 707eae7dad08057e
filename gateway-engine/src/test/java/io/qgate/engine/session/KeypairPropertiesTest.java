package io.qgate.engine.session;

import static io.qgate.engine.session.KeypairFixture.B_INDEX;
import static io.qgate.engine.session.KeypairFixture.CREATED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class KeypairPropertiesTest {
    private static final Keypair RECEIVER =
        KeypairFixture.b(Suite.DEFAULT, Backend.JDK, 1, 0, Protocol.INTEGRITY_LIMIT);
    private static final KeypairFixture.Pair PAIR = KeypairFixture.pair(Backend.JDK);

    /**
     * Random bytes, optionally under a plausible header (type DATA, version 1, our index, an epoch
     * that matches a small counter) so that they reach the AEAD: never an exception, never
     * accepted, never a change to the window, and the datagram is either untouched or zeroed.
     */
    @Property(tries = 500)
    void randomDatagramsAreDroppedWithAStatusAndLeaveNothingBehind(@ForAll @Size(max = 120) byte[] bytes,
            @ForAll boolean plausibleHeader, @ForAll @IntRange(max = 5000) int counter) {
        byte[] datagram = bytes.clone();
        if (plausibleHeader && datagram.length >= DataHeader.LENGTH) {
            new DataHeader().wrap(MemorySegment.ofArray(datagram))
                .type(KeypairFixture.DATA).version(Protocol.VERSION).epoch(0).receiverIndex(B_INDEX).counter(counter);
        }
        byte[] before = datagram.clone();
        long highest = RECEIVER.replayWindow().highest();

        int status = RECEIVER.open(0, MemorySegment.ofArray(datagram), datagram.length, CREATED);

        assertTrue(status < 0, "random bytes were accepted: " + Keypair.describe(status));
        assertEquals(highest, RECEIVER.replayWindow().highest());
        if (status == Keypair.AUTH_FAILED) {
            byte[] zeroBody = before.clone();
            Arrays.fill(zeroBody, DataHeader.LENGTH, zeroBody.length, (byte) 0);
            assertArrayEquals(zeroBody, datagram, "a failed open zeroes the body");
        } else {
            assertArrayEquals(before, datagram, "a datagram dropped before the AEAD is left as it came");
        }
        assertTrue(!plausibleHeader || datagram.length < Protocol.DATA_OVERHEAD || status == Keypair.AUTH_FAILED,
            () -> "a plausible header must reach the AEAD: " + Keypair.describe(status));
    }

    @Property(tries = 200)
    void anyPlaintextLengthRoundTrips(@ForAll @Size(max = 1500) byte[] plaintext) {
        byte[] datagram = KeypairFixture.seal(PAIR.a(), plaintext);
        MemorySegment received = MemorySegment.ofArray(datagram);
        assertEquals(plaintext.length, PAIR.b().open(0, received, datagram.length, CREATED));
        assertArrayEquals(plaintext, received.asSlice(DataHeader.LENGTH, plaintext.length).toArray(ValueLayout.JAVA_BYTE));
    }
}
