package io.qgate.engine.control;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.LongSupplier;

/** A root with gateway and client identities for endpoint tests; keys are cached per algorithm. */
final class TestPki {
    /** The tests' wall clock: 2026-11-22T00:00:00Z. */
    static final long NOW_SECONDS = 1_795_305_600L;
    static final long YEAR = 365L * 86_400;
    static final SecureRandom RANDOM = new SecureRandom();

    final CertificateAuthority authority;
    final TrustStore trust;

    TestPki(String rootName, SignatureAlgorithm rootAlgorithm, int allowedSuites) {
        authority = CertificateAuthority.createRoot(rootName, SigningIdentity.generate(rootAlgorithm, RANDOM),
                allowedSuites, NOW_SECONDS - YEAR, NOW_SECONDS + 10 * YEAR, RANDOM);
        trust = new TrustStore(List.of(authority.root()));
    }

    static TestPki standard() {
        return new TestPki("test-root", SignatureAlgorithm.ML_DSA_65, Suite.VALID_MASK);
    }

    /** A fresh identity and certificate. */
    Identity identity(CertificateRole role, String subject, SignatureAlgorithm algorithm, int suites, long notBefore,
            long notAfter) {
        SigningIdentity key = SigningIdentity.generate(algorithm, RANDOM);
        Certificate certificate = authority.issue(role, subject, key.publicKey(), algorithm, suites, notBefore, notAfter);
        return new Identity(certificate, key);
    }

    Identity identity(CertificateRole role, String subject, Suite suite) {
        return identity(role, subject, suite.signature(), suitesUsing(suite.signature()), NOW_SECONDS - 86_400,
                NOW_SECONDS + YEAR);
    }

    static int suitesUsing(SignatureAlgorithm algorithm) {
        int mask = 0;
        for (Suite suite : Suite.values()) {
            if (suite.signature() == algorithm) {
                mask |= suite.bit();
            }
        }
        return mask;
    }

    record Identity(Certificate certificate, SigningIdentity key) {
    }

    static LongSupplier clock(SimulatedNetwork network) {
        return () -> NOW_SECONDS * 1000 + network.now() / 1_000_000;
    }

    HandshakeConfig config(Identity identity, List<Suite> suites, boolean requireClientAuthentication,
            LongSupplier clockMillis) {
        return new HandshakeConfig(identity == null ? null : identity.certificate(), identity == null ? null : identity.key(),
                trust, suites, requireClientAuthentication, clockMillis, Protocol.TIMESTAMP_WINDOW_MILLIS, RANDOM);
    }
}
