package io.qgate.engine.trust;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Keys, roots and leaves shared by the trust tests, made once: deterministic keys from fixed
 * seeds, one ML-DSA-65 root allowing every suite, and a second root with the same subject but
 * another key.
 */
final class TrustFixtures {
    /** "Now" for every test: 2025-06-15T15:06:40Z. */
    static final long NOW = 1_750_000_000L;
    static final long DAY = 86_400L;
    static final SecureRandom RANDOM = new SecureRandom();

    static final SigningIdentity ROOT_KEY = key(SignatureAlgorithm.ML_DSA_65, 1);
    static final SigningIdentity OTHER_ROOT_KEY = key(SignatureAlgorithm.ML_DSA_65, 2);
    static final SigningIdentity GATEWAY_KEY = key(SignatureAlgorithm.ML_DSA_65, 3);
    static final SigningIdentity CLIENT_KEY = key(SignatureAlgorithm.ML_DSA_65, 4);

    static final CertificateAuthority CA = CertificateAuthority.createRoot("qgate-root", ROOT_KEY, Suite.VALID_MASK,
        NOW - 365 * DAY, NOW + 365 * DAY, RANDOM);
    /** Same subject as {@link #CA}, another key. */
    static final CertificateAuthority OTHER_CA = CertificateAuthority.createRoot("qgate-root", OTHER_ROOT_KEY, Suite.VALID_MASK,
        NOW - 365 * DAY, NOW + 365 * DAY, RANDOM);

    static final Certificate GATEWAY = CA.issue(CertificateRole.GATEWAY, "gw1.example.net", GATEWAY_KEY.publicKey(),
        SignatureAlgorithm.ML_DSA_65, Suite.VALID_MASK, NOW - DAY, NOW + 30 * DAY);
    static final Certificate CLIENT = CA.issue(CertificateRole.CLIENT, "alice@example.net", CLIENT_KEY.publicKey(),
        SignatureAlgorithm.ML_DSA_65, Suite.VALID_MASK, NOW - DAY, NOW + 30 * DAY);

    private TrustFixtures() {
    }

    /** A deterministic key whose seed is {@code n} repeated. */
    static SigningIdentity key(SignatureAlgorithm algorithm, int n) {
        byte[] seed = new byte[algorithm.seedLength()];
        Arrays.fill(seed, (byte) n);
        return SigningIdentity.fromSeed(algorithm, seed);
    }

    /** A leaf like {@link #GATEWAY}, every field changeable, for certificates no authority would issue. */
    static LeafBuilder leaf() {
        return new LeafBuilder();
    }

    /** Fluent fields of a certificate to sign or to assemble with any signature. */
    static final class LeafBuilder {
        CertificateRole role = CertificateRole.GATEWAY;
        SignatureAlgorithm keyAlgorithm = SignatureAlgorithm.ML_DSA_65;
        SignatureAlgorithm issuerAlgorithm = SignatureAlgorithm.ML_DSA_65;
        byte[] serial = new byte[Certificate.SERIAL_LENGTH];
        byte[] issuerKeyId = CA.root().keyId();
        long notBefore = NOW - DAY;
        long notAfter = NOW + DAY;
        int suites = Suite.VALID_MASK;
        String subject = "crafted.example.net";
        byte[] publicKey = GATEWAY_KEY.publicKey();

        LeafBuilder keyAlgorithm(SignatureAlgorithm algorithm, byte[] key) {
            keyAlgorithm = algorithm;
            publicKey = key;
            return this;
        }

        LeafBuilder issuerAlgorithm(SignatureAlgorithm algorithm) {
            issuerAlgorithm = algorithm;
            return this;
        }

        LeafBuilder validity(long from, long to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        LeafBuilder suites(int mask) {
            suites = mask;
            return this;
        }

        LeafBuilder issuedUnder(Certificate root) {
            issuerKeyId = root.keyId();
            issuerAlgorithm = root.keyAlgorithm();
            return this;
        }

        byte[] tbs() {
            return Certificate.encodeTbs(role, keyAlgorithm, issuerAlgorithm, serial, issuerKeyId, notBefore, notAfter,
                suites, subject, publicKey);
        }

        Certificate signedBy(SigningIdentity key) throws ProtocolException {
            byte[] tbs = tbs();
            return Certificate.assemble(tbs, key.sign(tbs, TrustSignatures.CERTIFICATE_CONTEXT));
        }
    }
}
