package io.qgate.engine.protocol;

import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What one side brings to a handshake: its certificate and key (absent for an anonymous
 * initiator in server-only mode), the roots it trusts, its suites in order of preference, whether
 * it requires initiators to authenticate, its wall clock and its randomness.
 *
 * @param certificate our certificate, or {@code null} for an anonymous initiator
 * @param identity the private key of {@code certificate}, {@code null} exactly when it is
 * @param trust the roots (and revocation lists) peers' certificates must chain to
 * @param suites our suites, most preferred first (non-empty, distinct)
 * @param requireClientAuthentication as responder: refuse initiators that do not authenticate
 * @param wallClockMillis Unix time in milliseconds (certificate validity, initiation timestamps)
 * @param timestampWindowMillis how far an initiation timestamp may be from our clock; 0 disables
 * @param random all randomness: ephemeral keys, randoms, indexes, encapsulation
 */
public record HandshakeConfig(Certificate certificate, SigningIdentity identity, TrustStore trust,
        List<Suite> suites, boolean requireClientAuthentication, LongSupplier wallClockMillis,
        long timestampWindowMillis, SecureRandom random) {

    public HandshakeConfig {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(wallClockMillis, "wallClockMillis");
        Objects.requireNonNull(random, "random");
        if ((certificate == null) != (identity == null)) {
            throw new IllegalArgumentException("a certificate needs its private key and a key its certificate");
        }
        if (suites.isEmpty() || suites.stream().distinct().count() != suites.size()) {
            throw new IllegalArgumentException("suites must be a non-empty list without repeats");
        }
        suites = List.copyOf(suites);
        if (certificate != null) {
            for (Suite suite : suites) {
                if (!certificate.permits(suite)) {
                    throw new IllegalArgumentException("suite " + suite + " is not allowed by certificate "
                            + certificate.subject() + "; remove it from the suite list or reissue the certificate");
                }
            }
        }
    }

    /** A configuration with the defaults: mutual authentication, the standard timestamp window. */
    public static HandshakeConfig of(Certificate certificate, SigningIdentity identity, TrustStore trust,
            List<Suite> suites, SecureRandom random) {
        return new HandshakeConfig(certificate, identity, trust, suites, true, System::currentTimeMillis,
                Protocol.TIMESTAMP_WINDOW_MILLIS, random);
    }

    /** Our most preferred suite that is in {@code offered}, or {@code null} if none is. */
    public Suite preferredAmong(byte[] offered) {
        for (Suite suite : suites) {
            for (byte id : offered) {
                if ((id & 0xFF) == suite.id()) {
                    return suite;
                }
            }
        }
        return null;
    }

    /** The suite ids we offer, preferred first. */
    public byte[] offeredIds() {
        byte[] ids = new byte[suites.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (byte) suites.get(i).id();
        }
        return ids;
    }

    /** A fresh non-zero 32-bit index. */
    public int newIndex() {
        int index;
        do {
            index = random.nextInt();
        } while (index == 0);
        return index;
    }
}
