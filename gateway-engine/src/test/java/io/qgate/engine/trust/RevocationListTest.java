package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.CA;
import static io.qgate.engine.trust.TrustFixtures.DAY;
import static io.qgate.engine.trust.TrustFixtures.NOW;
import static io.qgate.engine.trust.TrustStoreTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevocationListTest {
    private static final int SIGNATURE = SignatureAlgorithm.ML_DSA_65.signatureLength();
    private static final int COUNT_OFFSET = 2 + 32 + 24;

    @Test
    void parsesWhatTheAuthoritySignedWithEveryField() throws ProtocolException {
        RevocationList list = CA.revoke(5, NOW, NOW + DAY, List.of(serial(3), serial(1)));
        RevocationList parsed = RevocationList.parse(list.encoded());
        assertEquals(list, parsed);
        assertEquals(5, parsed.sequence());
        assertEquals(NOW, parsed.thisUpdate());
        assertEquals(NOW + DAY, parsed.nextUpdate());
        assertEquals(2, parsed.count());
        assertArrayEquals(serial(1), parsed.serial(0));
        assertArrayEquals(serial(3), parsed.serial(1));
        assertEquals(SIGNATURE, parsed.signature().length);
        assertArrayEquals(Arrays.copyOf(list.encoded(), list.tbs().length), parsed.tbs());
        assertThrows(IndexOutOfBoundsException.class, () -> parsed.serial(2));
        assertTrue(parsed.toString().contains("sequence 5"), parsed.toString());
    }

    @Test
    void findsEveryListedSerialAndNoOtherByBinarySearch() {
        List<byte[]> serials = new ArrayList<>();
        for (int i = 0; i < 1000; i += 2) {
            serials.add(serial(i));
        }
        RevocationList list = CA.revoke(1, NOW, NOW + DAY, serials);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i % 2 == 0, list.isRevoked(serial(i)), "serial " + i);
        }
        byte[] highBit = serial(0);
        highBit[0] = (byte) 0x80;
        assertFalse(list.isRevoked(highBit));
        assertFalse(list.isRevoked(new byte[15]));
        assertFalse(CA.revoke(1, NOW, NOW + DAY, List.of()).isRevoked(serial(0)));
    }

    @Test
    void ordersSerialsAsUnsignedBytes() {
        byte[] high = serial(0);
        high[0] = (byte) 0xFF;
        RevocationList list = CA.revoke(1, NOW, NOW + DAY, List.of(high, serial(7)));
        assertArrayEquals(serial(7), list.serial(0));
        assertTrue(list.isRevoked(high));
        assertTrue(list.isRevoked(serial(7)));
    }

    @Test
    void expiresAtNextUpdate() {
        RevocationList list = CA.revoke(1, NOW, NOW + DAY, List.of());
        assertFalse(list.isExpiredAt(NOW + DAY - 1));
        assertTrue(list.isExpiredAt(NOW + DAY));
    }

    @Test
    void rejectsAnotherFormatAndUnknownAlgorithms() {
        rejectsPatched(0, 2, "format");
        rejectsPatched(1, 0, "issuer algorithm");
        rejectsPatched(1, 8, "issuer algorithm");
        rejectsPatched(1, 3, "signature");
    }

    @Test
    void rejectsNextUpdateNotAfterThisUpdateAndTimesOf2To63() {
        rejects(tbs(1, NOW, NOW, new byte[0]), "next_update");
        byte[] encoded = valid();
        encoded[2 + 32 + 8] = (byte) 0x80;
        rejects(encoded, "this_update");
    }

    @Test
    void rejectsMoreThan65536Serials() {
        byte[] encoded = valid();
        ByteBuffer.wrap(encoded).putInt(COUNT_OFFSET, RevocationList.MAX_COUNT + 1);
        rejects(encoded, "65536");
        ByteBuffer.wrap(encoded).putInt(COUNT_OFFSET, -1);
        rejects(encoded, "4294967295");
    }

    @Test
    void rejectsSerialsOutOfOrderOrRepeated() {
        rejects(tbs(1, NOW, NOW + 1, concat(serial(2), serial(1))), "ascending");
        rejects(tbs(1, NOW, NOW + 1, concat(serial(2), serial(2))), "ascending");
    }

    @Test
    void rejectsACountThatDoesNotFitTrailingBytesAndTruncation() {
        byte[] encoded = valid();
        ByteBuffer.wrap(encoded).putInt(COUNT_OFFSET, 1000);
        rejects(encoded, "ends inside its serials");
        rejects(Arrays.copyOf(valid(), valid().length + 1), "trailing");
        rejects(Arrays.copyOf(valid(), valid().length - 1), "ends inside its signature");
        rejects(new byte[0], "ends inside its format");
    }

    private static byte[] valid() {
        return CA.revoke(1, NOW, NOW + DAY, List.of(serial(1))).encoded();
    }

    private static byte[] tbs(long sequence, long thisUpdate, long nextUpdate, byte[] serials) {
        byte[] tbs = RevocationList.encodeTbs(SignatureAlgorithm.ML_DSA_65, CA.root().keyId(), sequence, thisUpdate,
            nextUpdate, serials);
        return TrustSignatures.append(tbs, new byte[SIGNATURE]);
    }

    static byte[] serial(int n) {
        byte[] serial = new byte[16];
        ByteBuffer.wrap(serial).putInt(12, n);
        return serial;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void rejectsPatched(int offset, int value, String named) {
        byte[] encoded = valid();
        encoded[offset] = (byte) value;
        rejects(encoded, named);
    }

    private static void rejects(byte[] encoded, String named) {
        ProtocolException e = refused(ErrorCode.MALFORMED_MESSAGE, () -> RevocationList.parse(encoded));
        assertTrue(e.getMessage().startsWith("the revocation list is malformed: "), e.getMessage());
        assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' should name " + named);
    }
}
