package io.qgate.crypto.sig;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.crypto.Backend;
import io.qgate.ffm.oqs.LibOqs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The backends a test runs an algorithm on, and their schemes; liboqs tests skip when it is absent. */
final class SignatureBackends {
    private static final Map<String, SignatureScheme> SCHEMES = new ConcurrentHashMap<>();

    private SignatureBackends() {
    }

    /** Every backend that implements {@code algorithm}, including liboqs whether or not it is installed. */
    static List<Backend> implementing(SignatureAlgorithm algorithm) {
        List<Backend> backends = new ArrayList<>();
        for (Backend b : Backend.values()) {
            if (b == Backend.LIBOQS || SignatureSchemes.isAvailable(b, algorithm)) {
                backends.add(b);
            }
        }
        return backends;
    }

    /** The scheme, or a skipped test with liboqs's reason when liboqs is absent. */
    static SignatureScheme scheme(Backend backend, SignatureAlgorithm algorithm) {
        if (backend == Backend.LIBOQS) {
            assumeTrue(LibOqs.isAvailable(), LibOqs::unavailableReason);
        }
        return SCHEMES.computeIfAbsent(backend.id() + "/" + algorithm.id(), k -> SignatureSchemes.create(backend, algorithm));
    }
}
