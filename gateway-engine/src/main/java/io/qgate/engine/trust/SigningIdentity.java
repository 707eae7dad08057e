package io.qgate.engine.trust;

import io.qgate.crypto.kdf.Sha3;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.crypto.sig.SignatureScheme;
import io.qgate.crypto.sig.SignatureSchemes;
import io.qgate.crypto.sig.SigningKey;
import io.qgate.crypto.sig.SigningKeyPair;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.SignatureAlgorithmId;
import io.qgate.engine.protocol.WireReader;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A private signing key of a root, gateway or client, kept as its FIPS 204/205 seed (section 3.3).
 *
 * <p>Signing mode: an identity made by {@link #fromSeed} signs <em>deterministically</em> (ML-DSA
 * with rnd = 0^32, SLH-DSA with opt_rand = PK.seed), so test vectors and fixtures reproduce byte
 * for byte; identities made by {@link #generate} or loaded with {@link #parsePrivateKey} sign
 * <em>hedged</em> (fresh randomness per signature), which FIPS 204 recommends against fault and
 * side-channel attacks. Both verify the same way; {@link #isDeterministic()} says which applies.
 *
 * <p>Backend: signatures carry context strings, so the key lives on Bouncy Castle (the JDK's
 * ML-DSA has no contexts). Falcon-512 is refused: it takes no context string, has no seed, and
 * Bouncy Castle cannot reload a stored Falcon private key.
 *
 * <p>Thread safety: many threads may sign at once; {@link #destroy()} must not run while another
 * thread signs. After destruction every method but {@link #algorithm()} throws
 * {@link IllegalStateException}. The seed never appears in {@link #toString()}.
 */
public final class SigningIdentity implements Destroyable, AutoCloseable {
    /** The only private-key format this build reads and writes. */
    public static final int PRIVATE_KEY_FORMAT = 1;

    private final SignatureAlgorithm algorithm;
    private final byte[] publicKey;
    private final SigningKey key;
    private final boolean deterministic;
    private static final byte[] NO_CONTEXT = new byte[0];
    private final SignatureScheme signer;
    private final SigningKey signerKey;

    private SigningIdentity(SignatureAlgorithm algorithm, SignatureScheme scheme, SigningKeyPair pair, boolean deterministic) {
        this.algorithm = algorithm;
        this.publicKey = pair.publicKey();
        this.key = pair.privateKey();
        this.deterministic = deterministic;
        SignatureScheme fastest = SignatureSchemes.create(SignatureSchemes.defaultBackend(algorithm), algorithm);
        if (fastest.backend() == scheme.backend()) {
            this.signer = scheme;
            this.signerKey = key;
        } else {
            byte[] seed = key.seed();
            try {
                this.signer = fastest;
                this.signerKey = fastest.deriveKeyPair(seed).privateKey();
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }


    /**
     * A new key from a fresh seed drawn from {@code random}; it signs hedged.
     *
     * @throws IllegalArgumentException for Falcon-512
     */
    public static SigningIdentity generate(SignatureAlgorithm algorithm, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        SignatureScheme scheme = TrustSignatures.scheme(algorithm);
        byte[] seed = new byte[algorithm.seedLength()];
        random.nextBytes(seed);
        try {
            return new SigningIdentity(algorithm, scheme, scheme.deriveKeyPair(seed), false);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * The key determined by {@code seed} (ML-DSA: 32-byte xi; SLH-DSA: SK.seed ‖ SK.prf ‖ PK.seed);
     * it signs deterministically, for test vectors and reproducible fixtures. The caller keeps and
     * wipes {@code seed}.
     *
     * @throws IllegalArgumentException for Falcon-512 or a seed of the wrong length
     */
    public static SigningIdentity fromSeed(SignatureAlgorithm algorithm, byte[] seed) {
        SignatureScheme scheme = TrustSignatures.scheme(algorithm);
        return new SigningIdentity(algorithm, scheme, scheme.deriveKeyPair(seed), true);
    }

    /**
     * Loads a private key encoded by {@link #encodePrivateKey()}; it signs hedged. The caller keeps
     * and wipes {@code encoded}.
     *
     * @throws ProtocolException {@link ErrorCode#MALFORMED_MESSAGE} naming what is wrong
     */
    public static SigningIdentity parsePrivateKey(byte[] encoded) throws ProtocolException {
        WireReader in = new WireReader(encoded, ErrorCode.MALFORMED_MESSAGE, "private key");
        int format = in.u8("format");
        if (format != PRIVATE_KEY_FORMAT) {
            throw in.fail("its format is " + format + ", not " + PRIVATE_KEY_FORMAT);
        }
        SignatureAlgorithm algorithm = in.signatureAlgorithm("algorithm");
        if (!TrustSignatures.canSign(algorithm)) {
            throw in.fail("it is a " + algorithm.id() + " key, which cannot sign qgate certificates (no context strings)");
        }
        int seedLength = in.u16("seed length");
        if (seedLength != algorithm.seedLength()) {
            throw in.fail("its " + algorithm.id() + " seed is " + seedLength + " bytes, not " + algorithm.seedLength());
        }
        byte[] seed = in.bytes(seedLength, "seed");
        try {
            in.end();
            SignatureScheme scheme = TrustSignatures.scheme(algorithm);
            return new SigningIdentity(algorithm, scheme, scheme.deriveKeyPair(seed), false);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The private key in the format of section 3.3; the caller owns the array and must wipe it. */
    public byte[] encodePrivateKey() {
        checkLive();
        byte[] seed = key.seed();
        try {
            return ByteBuffer.allocate(4 + seed.length)
                .put((byte) PRIVATE_KEY_FORMAT).put((byte) SignatureAlgorithmId.of(algorithm))
                .putShort((short) seed.length).put(seed).array();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Signs {@code label ‖ message} with the empty FIPS 204/205 context (section 3.1), on the
     * fastest backend, deterministically or hedged (see the class comment).
     *
     * @throws IllegalStateException if destroyed
     */
    public byte[] sign(byte[] message, byte[] label) {
        checkLive();
        byte[] labelled = TrustSignatures.labelled(label, message);
        return deterministic ? signer.signDeterministic(signerKey, labelled, NO_CONTEXT)
                : signer.sign(signerKey, labelled, NO_CONTEXT);
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the raw public key. */
    public byte[] publicKey() {
        checkLive();
        return publicKey.clone();
    }

    /** Whether {@link #sign} is deterministic (identities made by {@link #fromSeed}). */
    public boolean isDeterministic() {
        return deterministic;
    }

    /** Wipes the seed and the backend's key object; later use throws {@link IllegalStateException}. */
    @Override
    public void destroy() {
        key.destroy();
        signerKey.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return key.isDestroyed();
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "SigningIdentity[" + algorithm.id() + ", key id " + HexFormat.of().formatHex(Sha3.sha3_256(publicKey), 0, 8)
            + (isDestroyed() ? ", destroyed]" : "]");
    }

    private void checkLive() {
        if (key.isDestroyed()) {
            throw new IllegalStateException("the " + algorithm.id() + " signing identity was destroyed and cannot be used");
        }
    }
}
