package io.qgate.engine.trust;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of certificates whose signature already verified, so a certificate presented again
 * skips the expensive signature check (ML-DSA-65 ≈ 90 µs, SLH-DSA far more). Bounded: the least
 * recently used id is forgotten when {@code capacity} is reached.
 *
 * <p>Why an id is a safe key: a certificate id is SHA3-256 of the <em>whole</em> encoding (TBS,
 * signature and all), so a certificate that differs in any byte has another id, and only finding
 * a SHA3-256 collision would let an unverified encoding borrow a verified one's entry. The
 * issuer key id is inside the encoding too, so an id also pins the root that verified it.
 *
 * <p>Thread safety: every method holds this object's monitor; calls are short (a hash map
 * operation), and verification itself runs outside the lock, so two threads may both verify an
 * uncached certificate and both record it, which is harmless.
 */
final class VerifiedSignatureCache {
    private final Map<ByteBuffer, Boolean> ids;

    VerifiedSignatureCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the cache capacity must be positive, not " + capacity);
        }
        this.ids = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether {@code certificateId} was {@linkplain #add added} and not yet evicted; marks it recently used. */
    synchronized boolean contains(byte[] certificateId) {
        return ids.get(ByteBuffer.wrap(certificateId)) != null;
    }

    /** Records that the certificate with this id has a valid signature; the array must not change afterwards. */
    synchronized void add(byte[] certificateId) {
        ids.put(ByteBuffer.wrap(certificateId), Boolean.TRUE);
    }

    synchronized int size() {
        return ids.size();
    }
}
