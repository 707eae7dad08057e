package io.qgate.crypto.kdf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.SecretBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every {@link IllegalArgumentException} the kdf package raises, with the sentence it gives. */
class KdfInputErrorsTest {
    private static final byte[] E = new byte[0];
    private static final SecretBytes KEY = SecretBytes.wrap(new byte[32]);

    @Test
    void outputLengthsOutOfRangeNameTheFunctionTheBoundsAndTheValue() {
        expect(() -> Shake256.hash(0, E), "SHAKE256 output length must be between 1 and 1048576 bytes, got 0");
        expect(() -> Shake256.hash(-1, E), "got -1: request a length in that range");
        expect(() -> Shake256.newXof().squeeze((1 << 20) + 1), "SHAKE256 output length", "got 1048577");
        expect(() -> CShake256.hash(E, 0, E, E), "cSHAKE256 output length must be between 1 and 1048576");
        expect(() -> CShake256.derive(KEY, -5, E, E), "cSHAKE256 output length", "got -5");
        expect(() -> Kmac256.mac(KEY, E, 15, E), "KMAC256 output length must be between 16 and 1048576 bytes, got 15");
        expect(() -> Kmac256.verify(KEY, E, new byte[8], E), "KMAC256 output length", "got 8");
        expect(() -> Kmac256.keyed(KEY, E).mac(E, 0, 0, new byte[16], 0, 1 << 21), "got 2097152");
    }

    @Test
    void hkdfOutputLongerThan255HashLengthsIsRefused() {
        expect(() -> Hkdf.of(HkdfHash.SHA256).extractAndExpand(E, KEY, E, 8161),
            "HKDF-SHA256 output length must be between 1 and 8160 bytes (255 times the hash length), got 8161");
        expect(() -> Hkdf.of(HkdfHash.SHA384).expand(SecretBytes.wrap(new byte[48]), E, 0),
            "HKDF-SHA384 output length", "got 0", "expand again with a different info");
    }

    @Test
    void nullInputsSayWhatToPassInstead() {
        expect(() -> Sha3.sha3_256((byte[][]) null), "SHA3-256 input parts are null: pass at least one array");
        expect(() -> Sha3.sha3_512(E, null), "SHA3-512 input part 1 is null: pass an empty array for an empty part");
        expect(() -> Sha3.newSha3_256().update((byte[]) null), "SHA3-256 input is null: pass an empty array");
        expect(() -> Shake256.hash(32, (byte[]) null), "SHAKE256 input part 0 is null");
        expect(() -> Shake256.newXof().absorb(null), "SHAKE256 input is null");
        expect(() -> CShake256.hash(null, 32, E, E), "cSHAKE256 input is null");
        expect(() -> CShake256.newXof(null, E), "cSHAKE256 function name is null");
        expect(() -> CShake256.newXof(E, null), "cSHAKE256 customization is null");
        expect(() -> CShake256.derive(null, 32, E, E), "cSHAKE256 key is null: pass the input key material");
        expect(() -> Kmac256.mac(null, E, 32, E), "KMAC256 key is null: pass the MAC key");
        expect(() -> Kmac256.mac(KEY, null, 32, E), "KMAC256 message is null");
        expect(() -> Kmac256.verify(KEY, E, null, E), "KMAC256 tag is null");
        expect(() -> Kmac256.keyed(KEY, null), "KMAC256 customization is null");
        Hkdf hkdf = Hkdf.of(HkdfHash.SHA256);
        expect(() -> hkdf.extract(null, KEY), "HKDF-SHA256 salt is null: pass an empty array");
        expect(() -> hkdf.extract(E, null), "HKDF-SHA256 input keying material is null");
        expect(() -> hkdf.expand(KEY, null, 32), "HKDF-SHA256 info is null");
        expect(() -> hkdf.expand(null, E, 32), "HKDF-SHA256 PRK is null: pass the output of extract");
        expect(() -> Hkdf.of(null), "HKDF needs a hash and a backend");
    }

    @Test
    void wrongSizesAndRangesAreRefused() {
        expect(() -> Kmac256.keyed(SecretBytes.wrap(new byte[31]), E),
            "KMAC256 key is 31 bytes, shorter than 32: use a key of at least 32 bytes");
        expect(() -> Hkdf.of(HkdfHash.SHA384).expand(SecretBytes.wrap(new byte[32]), E, 32),
            "HKDF-SHA384 PRK is 32 bytes, shorter than the hash length 48");
        expect(() -> Sha3.newSha3_256().update(new byte[4], 3, 2),
            "SHA3-256 range [3, +2) lies outside an array of 4 bytes");
        expect(() -> Shake256.newXof().squeeze(new byte[4], -1, 1), "SHAKE256 range [-1, +1)");
        expect(() -> Kmac256.keyed(KEY, E).mac(new byte[4], 0, 5, new byte[32], 0, 32), "KMAC256 range [0, +5)");
        expect(() -> Kmac256.keyed(KEY, E).mac(new byte[4], 0, 4, new byte[32], 17, 16), "KMAC256 range [17, +16)");
        expect(() -> Sp800185.leftEncode(-1), "SP 800-185 encodings take non-negative values, got -1");
    }

    private static void expect(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }
}
