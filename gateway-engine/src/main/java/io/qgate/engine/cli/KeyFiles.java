package io.qgate.engine.cli;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.PrivateKeyPermissions;
import io.qgate.engine.trust.RevocationList;
import io.qgate.engine.trust.SigningIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** Reading and writing the armoured certificate and private-key files, with one-line errors. */
public final class KeyFiles {
    private KeyFiles() {
    }

    static void refuseOverwrite(boolean force, Path... paths) {
        for (Path p : paths) {
            if (!force && Files.exists(p)) {
                throw new IllegalArgumentException(p + " already exists: pass --force to overwrite it");
            }
        }
    }

    /** A certificate's validity in days, from the command line: 1 to 100 years. */
    static void checkDays(int days) {
        if (days < 1 || days > 36_500) {
            throw new IllegalArgumentException("--days must be from 1 to 36500, not " + days);
        }
    }

    static SignatureAlgorithm algorithm(String name) {
        for (SignatureAlgorithm a : new SignatureAlgorithm[] {SignatureAlgorithm.ML_DSA_44, SignatureAlgorithm.ML_DSA_65,
                SignatureAlgorithm.ML_DSA_87}) {
            if (a.id().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown signature algorithm '" + name + "': use ml-dsa-44, ml-dsa-65 or ml-dsa-87");
    }

    /** Reads an armoured certificate file. */
    public static Certificate readCertificate(Path path) {
        try {
            return Certificate.parse(Armour.decode(read(path), Armour.CERTIFICATE));
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " is not a qgate certificate: " + e.getMessage());
        }
    }

    /** Reads an armoured revocation-list file. */
    public static RevocationList readRevocationList(Path path) {
        try {
            return RevocationList.parse(Armour.decode(read(path), Armour.REVOCATION_LIST));
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " is not a qgate revocation list: " + e.getMessage());
        }
    }

    /**
     * Reads an armoured private-key file; the caller destroys the identity. A file that group or
     * others may read or write is refused with the {@code chmod} that fixes it.
     */
    public static SigningIdentity readPrivateKey(Path path) {
        byte[] encoded = null;
        try {
            try {
                encoded = Armour.decode(read(path), Armour.PRIVATE_KEY);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + " is not a qgate private key: " + e.getMessage());
            }
            // a key file, so its mode matters (a certificate given by mistake is named as such above)
            String open = PrivateKeyPermissions.tooOpen(path).orElse(null);
            if (open != null) {
                throw new IllegalArgumentException("private key " + path + " " + open);
            }
            try {
                return SigningIdentity.parsePrivateKey(encoded);
            } catch (ProtocolException | IllegalArgumentException e) {
                throw new IllegalArgumentException(path + " is not a qgate private key: " + e.getMessage());
            }
        } finally {
            if (encoded != null) {
                Arrays.fill(encoded, (byte) 0);
            }
        }
    }

    /**
     * Writes {@code identity}'s private key to a new file of mode 0600; with {@code force} an
     * existing file is removed first (never rewritten in place, so the mode cannot be inherited).
     */
    static void writePrivateKey(Path path, SigningIdentity identity, boolean force) throws IOException {
        if (force) {
            Files.deleteIfExists(path);
        }
        byte[] encoded = identity.encodePrivateKey();
        try {
            Armour.writePrivate(path, Armour.encode(Armour.PRIVATE_KEY, encoded));
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** A file's text, at most {@link Armour#MAX_TEXT_LENGTH} bytes, with one-line errors. */
    static String read(Path path) {
        try {
            if (Files.size(path) > Armour.MAX_TEXT_LENGTH) {
                throw new IllegalArgumentException(path + " is larger than " + Armour.MAX_TEXT_LENGTH + " bytes");
            }
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(path + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(path + " cannot be read: " + e.getMessage());
        }
    }
}
