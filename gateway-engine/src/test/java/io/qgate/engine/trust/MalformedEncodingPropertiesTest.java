package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.CA;
import static io.qgate.engine.trust.TrustFixtures.GATEWAY;
import static io.qgate.engine.trust.TrustFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Flipped, truncated and extended encodings of certificates, revocation lists and private keys:
 * the parsers either accept them or throw {@link ProtocolException} with their own code, never
 * any other exception; and no changed certificate is ever trusted.
 */
class MalformedEncodingPropertiesTest {
    private static final byte[] ROOT = CA.root().encoded();
    private static final byte[] LEAF = GATEWAY.encoded();
    private static final byte[] LIST = CA.revoke(3, NOW, NOW + 1, List.of(new byte[16], GATEWAY.serial())).encoded();
    private static final byte[] PRIVATE_KEY = TrustFixtures.key(SignatureAlgorithm.ML_DSA_44, 50).encodePrivateKey();
    private static final TrustStore STORE = new TrustStore(List.of(CA.root()));

    /** How to damage an encoding: flip bits at a position, cut it, or append bytes. */
    record Damage(int kind, int position, int bits, byte[] tail) {
        byte[] applyTo(byte[] original) {
            int at = Math.floorMod(position, original.length);
            return switch (kind) {
                case 0 -> {
                    byte[] flipped = original.clone();
                    flipped[at] ^= (byte) bits;
                    yield flipped;
                }
                case 1 -> Arrays.copyOf(original, at);
                default -> {
                    byte[] longer = Arrays.copyOf(original, original.length + tail.length);
                    System.arraycopy(tail, 0, longer, original.length, tail.length);
                    yield longer;
                }
            };
        }
    }

    /** A parser under test. */
    interface Parser {
        void parse(byte[] encoded) throws ProtocolException;
    }

    /** Any exception but a ProtocolException with {@code expected} fails the property. */
    private static void parsesOrFailsWith(ErrorCode expected, Parser parser, byte[] encoded) {
        try {
            parser.parse(encoded);
        } catch (ProtocolException e) {
            assertEquals(expected, e.error(), e.getMessage());
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers(),
            Arbitraries.integers().between(1, 255), Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40))
            .as(Damage::new);
    }

    @Property(tries = 1000)
    void damagedCertificatesParseOrFailWithBadCertificate(@ForAll("damage") Damage damage) {
        parsesOrFailsWith(ErrorCode.BAD_CERTIFICATE, Certificate::parse, damage.applyTo(ROOT));
        parsesOrFailsWith(ErrorCode.BAD_CERTIFICATE, Certificate::parse, damage.applyTo(LEAF));
    }

    @Property(tries = 1000)
    void damagedRevocationListsParseOrFailWithMalformedMessage(@ForAll("damage") Damage damage) {
        parsesOrFailsWith(ErrorCode.MALFORMED_MESSAGE, RevocationList::parse, damage.applyTo(LIST));
    }

    @Property(tries = 200)
    void damagedPrivateKeysLoadOrFailWithMalformedMessage(@ForAll("damage") Damage damage) {
        parsesOrFailsWith(ErrorCode.MALFORMED_MESSAGE, encoded -> SigningIdentity.parsePrivateKey(encoded).destroy(),
            damage.applyTo(PRIVATE_KEY));
    }

    /** The genuine leaf is verified (and cached) first: a damaged copy still never passes. */
    @Property(tries = 200)
    void noDamagedCertificateIsTrusted(@ForAll("damage") Damage damage) throws ProtocolException {
        STORE.verify(LEAF, CertificateRole.GATEWAY, Suite.DEFAULT, NOW);
        byte[] damaged = damage.applyTo(LEAF);
        try {
            STORE.verify(damaged, CertificateRole.GATEWAY, Suite.DEFAULT, NOW);
            fail("a damaged certificate was trusted");
        } catch (ProtocolException expected) {
            assertFalse(Arrays.equals(LEAF, damaged), "every damage changes the encoding");
        }
    }
}
