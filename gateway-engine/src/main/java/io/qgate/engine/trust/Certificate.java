package io.qgate.engine.trust;

import io.qgate.crypto.kdf.Sha3;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.SignatureAlgorithmId;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.protocol.WireReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A qgate certificate (section 3.1 of {@code docs/PROTOCOL.md}): a role, a subject, a validity
 * window, the suites it may be used with and a public key, signed by a root (or by itself, for a
 * root). Parsing checks the format only; {@link TrustStore#verify} decides whether to trust it.
 *
 * <p>Immutable and thread-safe; every array accessor returns a copy.
 */
public final class Certificate {
    /** The only format this build reads and writes. */
    public static final int FORMAT = 1;
    public static final int SERIAL_LENGTH = 16;
    /** Length of a key id and of a certificate id: SHA3-256. */
    public static final int ID_LENGTH = Sha3.SHA3_256_LENGTH;
    public static final int MAX_SUBJECT_LENGTH = 64;

    /** Every field but the subject, public key and signature bodies. */
    private static final int FIXED_LENGTH = 4 + SERIAL_LENGTH + ID_LENGTH + 8 + 8 + 4 + 1 + 2 + 2;

    private final byte[] encoded;
    private final int tbsLength;
    private final CertificateRole role;
    private final SignatureAlgorithm keyAlgorithm;
    private final SignatureAlgorithm issuerAlgorithm;
    private final byte[] serial;
    private final byte[] issuerKeyId;
    private final long notBefore;
    private final long notAfter;
    private final int allowedSuites;
    private final String subject;
    private final byte[] publicKey;
    private final byte[] signature;
    private final byte[] id;
    /** SHA3-256 of the public key; computed on first use for leaves, which a handshake never asks for. */
    private volatile byte[] keyId;

    private Certificate(byte[] encoded, int tbsLength, CertificateRole role, SignatureAlgorithm keyAlgorithm,
                        SignatureAlgorithm issuerAlgorithm, byte[] serial, byte[] issuerKeyId, long notBefore, long notAfter,
                        int allowedSuites, String subject, byte[] publicKey, byte[] signature, byte[] keyId) {
        this.encoded = encoded;
        this.tbsLength = tbsLength;
        this.role = role;
        this.keyAlgorithm = keyAlgorithm;
        this.issuerAlgorithm = issuerAlgorithm;
        this.serial = serial;
        this.issuerKeyId = issuerKeyId;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.allowedSuites = allowedSuites;
        this.subject = subject;
        this.publicKey = publicKey;
        this.signature = signature;
        this.id = Sha3.sha3_256(encoded);
        this.keyId = keyId;
    }

    /**
     * Parses an encoded certificate, checking every rule of section 3.1 that needs no key.
     *
     * @throws ProtocolException {@link ErrorCode#BAD_CERTIFICATE} naming the first rule broken
     */
    public static Certificate parse(byte[] encoded) throws ProtocolException {
        byte[] copy = encoded.clone();
        WireReader in = new WireReader(copy, ErrorCode.BAD_CERTIFICATE, "certificate");
        int format = in.u8("format");
        if (format != FORMAT) {
            throw in.fail("its format is " + format + ", not " + FORMAT);
        }
        int roleCode = in.u8("role");
        CertificateRole role = CertificateRole.fromCode(roleCode);
        if (role == null) {
            throw in.fail("its role " + roleCode + " is none of root (1), gateway (2), client (3)");
        }
        SignatureAlgorithm keyAlgorithm = in.signatureAlgorithm("key algorithm");
        SignatureAlgorithm issuerAlgorithm = in.signatureAlgorithm("issuer algorithm");
        byte[] serial = in.bytes(SERIAL_LENGTH, "serial");
        byte[] issuerKeyId = in.bytes(ID_LENGTH, "issuer key id");
        long notBefore = in.u63("not_before");
        long notAfter = in.u63("not_after");
        if (notAfter <= notBefore) {
            throw in.fail("its not_after " + notAfter + " is not after its not_before " + notBefore);
        }
        long allowedSuites = Integer.toUnsignedLong(in.u32("allowed suites"));
        if (allowedSuites == 0 || (allowedSuites & ~(long) Suite.VALID_MASK) != 0) {
            throw in.fail("its allowed suites 0x" + Long.toHexString(allowedSuites)
                + " are empty or name undefined suites (valid bits: 0x" + Integer.toHexString(Suite.VALID_MASK) + ")");
        }
        int subjectLength = in.u8("subject length");
        if (subjectLength < 1 || subjectLength > MAX_SUBJECT_LENGTH) {
            throw in.fail("its subject length " + subjectLength + " is outside 1.." + MAX_SUBJECT_LENGTH);
        }
        byte[] subjectBytes = in.bytes(subjectLength, "subject");
        String subject = new String(subjectBytes, StandardCharsets.US_ASCII);
        if (!isValidSubject(subject)) {
            throw in.fail("its subject has characters other than A-Z a-z 0-9 . _ @ : -");
        }
        int publicKeyLength = in.u16("public key length");
        if (publicKeyLength != keyAlgorithm.publicKeyLength()) {
            throw in.fail("its " + keyAlgorithm.id() + " public key is " + publicKeyLength + " bytes, not " + keyAlgorithm.publicKeyLength());
        }
        byte[] publicKey = in.bytes(publicKeyLength, "public key");
        int tbsLength = in.position();
        byte[] signature = in.signature(issuerAlgorithm);
        in.end();
        byte[] keyId = role == CertificateRole.ROOT ? Sha3.sha3_256(publicKey) : null;
        if (role == CertificateRole.ROOT && (keyAlgorithm != issuerAlgorithm || !Arrays.equals(issuerKeyId, keyId))) {
            throw in.fail("it is a root whose issuer algorithm and key id are not its own");
        }
        return new Certificate(copy, tbsLength, role, keyAlgorithm, issuerAlgorithm, serial, issuerKeyId, notBefore, notAfter,
            (int) allowedSuites, subject, publicKey, signature, keyId);
    }

    /**
     * The largest encoding a certificate with these algorithms can have (a 64-byte subject and,
     * for Falcon, the longest signature), for sizing handshake messages.
     */
    public static int maxEncodedLength(SignatureAlgorithm keyAlgorithm, SignatureAlgorithm issuerAlgorithm) {
        return FIXED_LENGTH + MAX_SUBJECT_LENGTH + keyAlgorithm.publicKeyLength() + issuerAlgorithm.signatureLength();
    }

    /** Whether {@code subject} is 1 to 64 of the characters {@code [A-Za-z0-9._@:-]}. */
    public static boolean isValidSubject(String subject) {
        if (subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH) {
            return false;
        }
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            boolean allowed = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '.' || c == '_' || c == '@' || c == ':' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * The to-be-signed bytes of a certificate with these fields. The caller has checked them: a
     * field out of range only shows when the signed result is {@linkplain #assemble assembled}.
     */
    static byte[] encodeTbs(CertificateRole role, SignatureAlgorithm keyAlgorithm, SignatureAlgorithm issuerAlgorithm,
                            byte[] serial, byte[] issuerKeyId, long notBefore, long notAfter, int allowedSuites,
                            String subject, byte[] publicKey) {
        byte[] subjectBytes = subject.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer tbs = ByteBuffer.allocate(FIXED_LENGTH - 2 + subjectBytes.length + publicKey.length);
        tbs.put((byte) FORMAT).put((byte) role.code())
            .put((byte) SignatureAlgorithmId.of(keyAlgorithm)).put((byte) SignatureAlgorithmId.of(issuerAlgorithm))
            .put(serial).put(issuerKeyId)
            .putLong(notBefore).putLong(notAfter).putInt(allowedSuites)
            .put((byte) subjectBytes.length).put(subjectBytes)
            .putShort((short) publicKey.length).put(publicKey);
        return tbs.array();
    }

    /** Appends {@code signature} to {@code tbs} and parses the result. */
    static Certificate assemble(byte[] tbs, byte[] signature) throws ProtocolException {
        return parse(TrustSignatures.append(tbs, signature));
    }

    /** A copy of the whole encoding. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** A copy of the to-be-signed part: everything before the signature length. */
    public byte[] tbs() {
        return Arrays.copyOf(encoded, tbsLength);
    }

    /** {@code certificate_id}: SHA3-256 of the whole encoding. */
    public byte[] id() {
        return id.clone();
    }

    /** {@code key_id}: SHA3-256 of the public key, which is what certificates it issues name. */
    public byte[] keyId() {
        return keyIdView().clone();
    }

    public CertificateRole role() {
        return role;
    }

    public SignatureAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    public SignatureAlgorithm issuerAlgorithm() {
        return issuerAlgorithm;
    }

    public byte[] serial() {
        return serial.clone();
    }

    public byte[] issuerKeyId() {
        return issuerKeyId.clone();
    }

    /** First second of validity, Unix time. */
    public long notBefore() {
        return notBefore;
    }

    /** First second of invalidity, Unix time: valid while {@code notBefore <= now < notAfter}. */
    public long notAfter() {
        return notAfter;
    }

    /** The suite bit set: bit {@code id} set means suite {@code id} is allowed. */
    public int allowedSuites() {
        return allowedSuites;
    }

    public String subject() {
        return subject;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Whether this certificate allows {@code suite}: the suite is in {@link #allowedSuites()} and,
     * unless this is a root (whose key signs certificates, not handshakes), its signature algorithm
     * is this certificate's key algorithm.
     */
    public boolean permits(Suite suite) {
        return suite.isIn(allowedSuites) && (role == CertificateRole.ROOT || suite.signature() == keyAlgorithm);
    }

    /**
     * Whether {@code signature} is this certificate's key's signature of {@code message} under
     * {@code context}, as the handshake checks a peer's transcript signature. The trust layer's
     * backend is used, since the JDK's ML-DSA takes no context; always false for Falcon-512.
     */
    public boolean verifiesSignature(byte[] message, byte[] context, byte[] signature) {
        return TrustSignatures.verifies(keyAlgorithm, publicKey, context, message, signature);
    }

    /** Whether {@code now} (Unix seconds) lies in {@code [notBefore, notAfter)}. */
    public boolean isValidAt(long now) {
        return notBefore <= now && now < notAfter;
    }

    byte[] idView() {
        return id;
    }

    byte[] keyIdView() {
        byte[] id = keyId;
        if (id == null) {
            id = Sha3.sha3_256(publicKey); // two threads may both compute it: the same bytes
            keyId = id;
        }
        return id;
    }

    byte[] issuerKeyIdView() {
        return issuerKeyId;
    }

    byte[] serialView() {
        return serial;
    }

    byte[] publicKeyView() {
        return publicKey;
    }

    byte[] signatureView() {
        return signature;
    }

    /** Two certificates are equal when their encodings are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Certificate c && Arrays.equals(encoded, c.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "Certificate[" + role + " '" + subject + "', serial " + HexFormat.of().formatHex(serial)
            + ", " + keyAlgorithm.id() + " key, valid " + time(notBefore) + " to " + time(notAfter) + "]";
    }

    static String time(long unixSeconds) {
        try {
            return Instant.ofEpochSecond(unixSeconds).toString();
        } catch (DateTimeException beyondInstant) {
            return unixSeconds + " s";
        }
    }

}
