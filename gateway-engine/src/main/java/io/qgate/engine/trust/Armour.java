package io.qgate.engine.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;

/**
 * The text form of certificates, revocation lists and private keys (section 3.4 of
 * {@code docs/PROTOCOL.md}): one base64 block between a BEGIN and an END line, 64 characters
 * per line; blank lines and {@code #} comment lines outside the block are ignored.
 *
 * <p>Decoding accepts base64 lines of any length (other tools wrap at 76) and blank lines inside
 * the block, but nothing else: a
 * wrong label, a missing END line, bad base64, a second block or stray text each fail with one
 * sentence naming the cause. Stateless and thread-safe.
 */
public final class Armour {
    public static final String CERTIFICATE = "QGATE CERTIFICATE";
    public static final String REVOCATION_LIST = "QGATE REVOCATION LIST";
    public static final String PRIVATE_KEY = "QGATE PRIVATE KEY";

    /**
     * The longest text {@link #decode} reads: 2 MiB, enough for the largest object, a revocation
     * list of 65,536 serials signed with SLH-DSA-SHAKE-256f (1,098,496 bytes, about 1.49 MB armoured).
     */
    public static final int MAX_TEXT_LENGTH = 2 << 20;

    private static final int LINE_LENGTH = 64;
    private static final String DASHES = "-----";
    private static final String BEGIN = DASHES + "BEGIN ";
    private static final String END = DASHES + "END ";

    private Armour() {
    }

    /** {@code data} in base64 between BEGIN and END lines naming {@code label}, each line ending in a newline. */
    public static String encode(String label, byte[] data) {
        checkLabel(label);
        String base64 = Base64.getEncoder().encodeToString(data);
        StringBuilder text = new StringBuilder(base64.length() + base64.length() / LINE_LENGTH + 2 * label.length() + 40);
        text.append(BEGIN).append(label).append(DASHES).append('\n');
        for (int i = 0; i < base64.length(); i += LINE_LENGTH) {
            text.append(base64, i, Math.min(base64.length(), i + LINE_LENGTH)).append('\n');
        }
        return text.append(END).append(label).append(DASHES).append('\n').toString();
    }

    /**
     * The bytes of the one block labelled {@code expectedLabel} in {@code text}.
     *
     * @throws IllegalArgumentException naming the cause: text over {@link #MAX_TEXT_LENGTH}, no
     *     BEGIN line, another label, a missing END line, bad or empty base64, a second block, or
     *     a line that is neither blank nor a comment outside the block
     */
    public static byte[] decode(String text, String expectedLabel) {
        checkLabel(expectedLabel);
        String what = "the " + expectedLabel + " text";
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(what + " is " + text.length() + " characters, more than the "
                + MAX_TEXT_LENGTH + " allowed");
        }
        StringBuilder base64 = new StringBuilder(Math.min(text.length(), MAX_TEXT_LENGTH));
        String[] lines = text.split("\r?\n", -1);
        boolean inside = false;
        boolean seenBlock = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            String where = what + ", line " + (n + 1) + ",";
            if (inside) {
                if (line.startsWith(END)) {
                    String label = label(line, END, where);
                    if (!label.equals(expectedLabel)) {
                        throw new IllegalArgumentException(where + " ends a " + label + " block instead of the " + expectedLabel + " block");
                    }
                    inside = false;
                } else if (line.startsWith(DASHES)) {
                    throw new IllegalArgumentException(where + " inside the block is not base64 (is the END line missing?)");
                } else {
                    base64.append(line);
                }
            } else if (line.startsWith(BEGIN)) {
                if (seenBlock) {
                    throw new IllegalArgumentException(what + " holds more than one block: keep one object per file");
                }
                String label = label(line, BEGIN, where);
                if (!label.equals(expectedLabel)) {
                    throw new IllegalArgumentException(what + " holds a " + label + ", not a " + expectedLabel + ": check the file name");
                }
                inside = true;
                seenBlock = true;
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                throw new IllegalArgumentException(where + " is outside the block and neither blank nor a # comment");
            }
        }
        if (!seenBlock) {
            throw new IllegalArgumentException(what + " has no " + BEGIN + expectedLabel + DASHES + " line");
        }
        if (inside) {
            throw new IllegalArgumentException(what + " has no " + END + expectedLabel + DASHES + " line: the file is cut short");
        }
        if (base64.isEmpty()) {
            throw new IllegalArgumentException(what + " has an empty block");
        }
        try {
            if (base64.length() % 4 != 0) {
                throw new IllegalArgumentException("unpadded");
            }
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64 (RFC 4648, padded): the file is damaged");
        }
    }

    /**
     * Writes {@code text} (an armoured private key) to a new file created with mode 0600, so that
     * no other user can read it even for an instant. An existing file is never overwritten.
     *
     * @throws FileAlreadyExistsException if {@code path} exists
     * @throws IOException if the file system has no POSIX permissions or the write fails
     */
    public static void writePrivate(Path path, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        try (SeekableByteChannel channel = Files.newByteChannel(path,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(path.toString(), null,
                "it already exists: qgate never overwrites a private key, remove it or choose another file");
        } catch (UnsupportedOperationException e) {
            throw new IOException("the file system of " + path + " has no POSIX permissions, so the private key"
                + " cannot be created with mode 0600: write it to a POSIX file system", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String label(String line, String prefix, String where) {
        if (!line.endsWith(DASHES) || line.length() < prefix.length() + DASHES.length()) {
            throw new IllegalArgumentException(where + " does not end in " + DASHES);
        }
        return line.substring(prefix.length(), line.length() - DASHES.length());
    }

    private static void checkLabel(String label) {
        if (label.isEmpty() || !label.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == ' ')) {
            throw new IllegalArgumentException("an armour label is upper-case letters and spaces, not '" + label + "'");
        }
    }
}
