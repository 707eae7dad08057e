package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.DAY;
import static io.qgate.engine.trust.TrustFixtures.NOW;
import static io.qgate.engine.trust.TrustFixtures.RANDOM;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.Suite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RootKey}: a root's prepared key accepts exactly the signatures {@link TrustSignatures}
 * accepts, on the precomputed ML-DSA path and on the fallback for SLH-DSA.
 */
class RootKeyTest {
    @ParameterizedTest
    @EnumSource(names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "SLH_DSA_SHAKE_128F"})
    void acceptsTheRootsSignaturesAndNothingChanged(SignatureAlgorithm algorithm) {
        SigningIdentity key = TrustFixtures.key(algorithm, 30);
        CertificateAuthority authority = CertificateAuthority.createRoot("root", key, Suite.VALID_MASK,
            NOW - DAY, NOW + DAY, RANDOM);
        Certificate leaf = authority.issue(CertificateRole.CLIENT, "c", TrustFixtures.CLIENT_KEY.publicKey(),
            SignatureAlgorithm.ML_DSA_65, Suite.VALID_MASK, NOW - DAY, NOW + DAY);
        RootKey root = RootKey.of(authority.root());
        assertSame(authority.root(), root.certificate());

        byte[] tbs = leaf.tbs();
        byte[] signature = leaf.signatureView().clone();
        assertTrue(root.verifies(TrustSignatures.CERTIFICATE_CONTEXT, tbs, signature), "the root's own signature");

        assertFalse(root.verifies(TrustSignatures.REVOCATION_LIST_CONTEXT, tbs, signature), "another label");
        tbs[tbs.length - 1] ^= 1;
        assertFalse(root.verifies(TrustSignatures.CERTIFICATE_CONTEXT, tbs, signature), "a changed TBS");
        tbs[tbs.length - 1] ^= 1;
        signature[signature.length / 3] ^= 0x10;
        assertFalse(root.verifies(TrustSignatures.CERTIFICATE_CONTEXT, tbs, signature), "a changed signature");
        assertFalse(TrustSignatures.verifies(algorithm, authority.root().publicKeyView(), TrustSignatures.CERTIFICATE_CONTEXT,
            tbs, signature), "TrustSignatures agrees");
        assertFalse(root.verifies(TrustSignatures.CERTIFICATE_CONTEXT, tbs, new byte[5]), "a short signature is false");
    }
}
