package io.qgate.crypto.kdf;

import io.qgate.crypto.JcaSecretKey;
import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.CryptoException;
import io.qgate.crypto.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF (RFC 5869) with SHA-256 or SHA-384, for interoperability; qgate's own key schedule uses
 * {@link CShake256} and {@link Kmac256}. The {@link Backend#JDK JDK} backend runs the JDK 25
 * {@code javax.crypto.KDF} API; {@link Backend#BOUNCY_CASTLE} runs {@code HKDFBytesGenerator}.
 *
 * <p>Keys (IKM, PRK, OKM) are {@link SecretBytes}; salt and info are public. An empty salt means
 * HashLen zero bytes, as in RFC 5869. Instances are immutable and thread-safe.
 */
public final class Hkdf {
    private final HkdfHash hash;
    private final Backend backend;

    private Hkdf(HkdfHash hash, Backend backend) {
        this.hash = hash;
        this.backend = backend;
    }

    /** HKDF with {@code hash} on the JDK. */
    public static Hkdf of(HkdfHash hash) {
        return of(hash, Backend.JDK);
    }

    /** HKDF with {@code hash} on {@code backend} (jdk or bouncycastle). */
    public static Hkdf of(HkdfHash hash, Backend backend) {
        if (hash == null || backend == null) {
            throw new IllegalArgumentException("HKDF needs a hash and a backend, got " + hash + " and "
                + backend + ": pass HkdfHash.SHA256 or SHA384 and Backend.JDK or BOUNCY_CASTLE");
        }
        if (backend != Backend.JDK && backend != Backend.BOUNCY_CASTLE) {
            throw new BackendUnavailableException("HKDF is not offered by the " + backend.id()
                + " backend: use jdk or bouncycastle");
        }
        return new Hkdf(hash, backend);
    }

    public HkdfHash hash() {
        return hash;
    }

    public Backend backend() {
        return backend;
    }

    /** HKDF-Extract(salt, IKM): the HashLen-byte pseudorandom key. */
    public SecretBytes extract(byte[] salt, SecretBytes ikm) {
        checkExtractInputs(salt, ikm);
        if (backend == Backend.JDK) {
            JcaSecretKey ikmKey = JcaSecretKey.copyOf(ikm.bytes(), "Generic");
            try {
                return jdkDerive(HKDFParameterSpec.ofExtract().addIKM(ikmKey).addSalt(salt).extractOnly());
            } finally {
                ikmKey.destroy();
            }
        }
        return SecretBytes.wrap(new HKDFBytesGenerator(hash.newBouncyCastleDigest()).extractPRK(salt, ikm.bytes()));
    }

    /** HKDF-Expand(PRK, info, length): {@code length} bytes, 1 to 255 * HashLen. */
    public SecretBytes expand(SecretBytes prk, byte[] info, int length) {
        if (prk == null) {
            throw new IllegalArgumentException(hash.jcaName() + " PRK is null: pass the output of extract");
        }
        if (prk.length() < hash.hashLength()) {
            throw new IllegalArgumentException(hash.jcaName() + " PRK is " + prk.length()
                + " bytes, shorter than the hash length " + hash.hashLength() + ": pass the output of extract");
        }
        checkExpandInputs(info, length);
        if (backend == Backend.JDK) {
            JcaSecretKey prkKey = JcaSecretKey.copyOf(prk.bytes(), "Generic");
            try {
                return jdkDerive(HKDFParameterSpec.expandOnly(prkKey, info, length));
            } finally {
                prkKey.destroy();
            }
        }
        return bouncyCastleGenerate(HKDFParameters.skipExtractParameters(prk.bytes(), info), length);
    }

    /** HKDF-Expand(HKDF-Extract(salt, IKM), info, length). */
    public SecretBytes extractAndExpand(byte[] salt, SecretBytes ikm, byte[] info, int length) {
        checkExtractInputs(salt, ikm);
        checkExpandInputs(info, length);
        if (backend == Backend.JDK) {
            JcaSecretKey ikmKey = JcaSecretKey.copyOf(ikm.bytes(), "Generic");
            try {
                return jdkDerive(HKDFParameterSpec.ofExtract().addIKM(ikmKey).addSalt(salt)
                    .thenExpand(info, length));
            } finally {
                ikmKey.destroy();
            }
        }
        return bouncyCastleGenerate(new HKDFParameters(ikm.bytes(), salt, info), length);
    }

    @Override
    public String toString() {
        return "Hkdf[" + hash.jcaName() + ", " + backend.id() + "]";
    }

    private void checkExtractInputs(byte[] salt, SecretBytes ikm) {
        Inputs.notNull(hash.jcaName(), "salt", salt);
        if (ikm == null) {
            throw new IllegalArgumentException(hash.jcaName()
                + " input keying material is null: pass the shared secret (it may be empty)");
        }
    }

    private void checkExpandInputs(byte[] info, int length) {
        Inputs.notNull(hash.jcaName(), "info", info);
        if (length < 1 || length > hash.maxOutputLength()) {
            throw new IllegalArgumentException(hash.jcaName() + " output length must be between 1 and "
                + hash.maxOutputLength() + " bytes (255 times the hash length), got " + length
                + ": request less, or expand again with a different info");
        }
    }

    private SecretBytes jdkDerive(AlgorithmParameterSpec spec) {
        try {
            return SecretBytes.wrap(KDF.getInstance(hash.jcaName()).deriveData(spec));
        } catch (NoSuchAlgorithmException e) {
            throw new BackendUnavailableException("the JDK offers no " + hash.jcaName()
                + " KDF: run qgate on JDK 25 or choose the bouncycastle backend", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(hash.jcaName() + " rejected its parameters: " + e.getMessage(), e);
        }
    }

    private SecretBytes bouncyCastleGenerate(HKDFParameters parameters, int length) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(hash.newBouncyCastleDigest());
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return SecretBytes.wrap(out);
    }
}
