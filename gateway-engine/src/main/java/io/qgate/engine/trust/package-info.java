/**
 * Certificates and revocation (section 3 of {@code docs/PROTOCOL.md}): the certificate and
 * revocation list codecs ({@link io.qgate.engine.trust.Certificate},
 * {@link io.qgate.engine.trust.RevocationList}), private keys
 * ({@link io.qgate.engine.trust.SigningIdentity}), issuing
 * ({@link io.qgate.engine.trust.CertificateAuthority}), chain verification
 * ({@link io.qgate.engine.trust.TrustStore}) and the text form of all three
 * ({@link io.qgate.engine.trust.Armour}). Cold path: plain Java; every parser is bounded and
 * fails with a {@link io.qgate.engine.protocol.ProtocolException}.
 */
package io.qgate.engine.trust;
