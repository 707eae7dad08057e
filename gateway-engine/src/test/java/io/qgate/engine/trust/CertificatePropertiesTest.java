package io.qgate.engine.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.kdf.Sha3;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/** Encode, parse, encode again: every valid combination of field values survives unchanged. */
class CertificatePropertiesTest {
    @Property(tries = 200)
    void everyValidCertificateRoundTrips(@ForAll CertificateRole role,
                                         @ForAll SignatureAlgorithm keyAlgorithm,
                                         @ForAll SignatureAlgorithm issuerAlgorithm,
                                         @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long notBefore,
                                         @ForAll @LongRange(min = 1) long duration,
                                         @ForAll @IntRange(min = 1, max = 15) int suiteBits,
                                         @ForAll @AlphaChars @NumericChars @Chars({'.', '_', '@', ':', '-'})
                                         @StringLength(min = 1, max = 64) String subject,
                                         @ForAll @IntRange(min = 1, max = 752) int falconSignatureLength,
                                         @ForAll long bytesSeed) throws ProtocolException {
        Random bytes = new Random(bytesSeed);
        byte[] publicKey = random(bytes, keyAlgorithm.publicKeyLength());
        SignatureAlgorithm issuer = role == CertificateRole.ROOT ? keyAlgorithm : issuerAlgorithm;
        byte[] issuerKeyId = role == CertificateRole.ROOT ? Sha3.sha3_256(publicKey) : random(bytes, Certificate.ID_LENGTH);
        byte[] serial = random(bytes, Certificate.SERIAL_LENGTH);
        long notAfter = notBefore + Math.min(duration, Long.MAX_VALUE - notBefore);
        byte[] signature = random(bytes, issuer.hasFixedSignatureLength() ? issuer.signatureLength() : falconSignatureLength);
        int suites = suiteBits << 1;

        byte[] tbs = Certificate.encodeTbs(role, keyAlgorithm, issuer, serial, issuerKeyId, notBefore, notAfter, suites,
            subject, publicKey);
        Certificate certificate = Certificate.assemble(tbs, signature);

        assertEquals(role, certificate.role());
        assertEquals(keyAlgorithm, certificate.keyAlgorithm());
        assertEquals(issuer, certificate.issuerAlgorithm());
        assertArrayEquals(serial, certificate.serial());
        assertArrayEquals(issuerKeyId, certificate.issuerKeyId());
        assertEquals(notBefore, certificate.notBefore());
        assertEquals(notAfter, certificate.notAfter());
        assertEquals(suites, certificate.allowedSuites());
        assertEquals(subject, certificate.subject());
        assertArrayEquals(publicKey, certificate.publicKey());
        assertArrayEquals(signature, certificate.signature());
        assertArrayEquals(tbs, certificate.tbs());
        assertEquals(certificate, Certificate.parse(certificate.encoded()));
        assertEquals(certificate.encoded().length, Certificate.maxEncodedLength(keyAlgorithm, issuer)
            - (Certificate.MAX_SUBJECT_LENGTH - subject.length()) - (issuer.signatureLength() - signature.length));
    }

    @Property(tries = 100)
    void everyValidRevocationListRoundTrips(@ForAll SignatureAlgorithm issuerAlgorithm,
                                            @ForAll @LongRange(min = 0) long sequence,
                                            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long thisUpdate,
                                            @ForAll @LongRange(min = 1) long duration,
                                            @ForAll @IntRange(min = 0, max = 300) int count,
                                            @ForAll @IntRange(min = 1, max = 752) int falconSignatureLength,
                                            @ForAll long bytesSeed) throws ProtocolException {
        Random bytes = new Random(bytesSeed);
        byte[] issuerKeyId = random(bytes, Certificate.ID_LENGTH);
        long nextUpdate = thisUpdate + Math.min(duration, Long.MAX_VALUE - thisUpdate);
        TreeSet<byte[]> ascending = new TreeSet<>(Arrays::compareUnsigned);
        while (ascending.size() < count) {
            ascending.add(random(bytes, Certificate.SERIAL_LENGTH));
        }
        List<byte[]> listed = new ArrayList<>(ascending);
        byte[] serials = new byte[count * Certificate.SERIAL_LENGTH];
        for (int i = 0; i < count; i++) {
            System.arraycopy(listed.get(i), 0, serials, i * Certificate.SERIAL_LENGTH, Certificate.SERIAL_LENGTH);
        }
        byte[] signature = random(bytes, issuerAlgorithm.hasFixedSignatureLength()
            ? issuerAlgorithm.signatureLength() : falconSignatureLength);

        byte[] tbs = RevocationList.encodeTbs(issuerAlgorithm, issuerKeyId, sequence, thisUpdate, nextUpdate, serials);
        RevocationList list = RevocationList.assemble(tbs, signature);

        assertEquals(issuerAlgorithm, list.issuerAlgorithm());
        assertArrayEquals(issuerKeyId, list.issuerKeyId());
        assertEquals(sequence, list.sequence());
        assertEquals(thisUpdate, list.thisUpdate());
        assertEquals(nextUpdate, list.nextUpdate());
        assertEquals(count, list.count());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(listed.get(i), list.serial(i));
            assertTrue(list.isRevoked(listed.get(i)));
        }
        assertArrayEquals(signature, list.signature());
        assertArrayEquals(tbs, list.tbs());
        assertEquals(list, RevocationList.parse(list.encoded()));
    }

    private static byte[] random(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
