package io.qgate.engine.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The rule for private-key files: only their owner may read or write them (mode 0600 or
 * stricter), as {@link Armour#writePrivate} creates them. A key others can read is no longer
 * private, and one they can write can be replaced; qgate refuses both rather than warn, with the
 * {@code chmod} that fixes the file.
 */
public final class PrivateKeyPermissions {
    private PrivateKeyPermissions() {
    }

    /**
     * Why {@code path} is too open, such as {@code is readable by group or others (mode 0644); run:
     * chmod 600 /etc/qgate/gw-a.key}; empty if it is not, if it does not exist (reading it reports
     * that) or if its file system has no POSIX permissions.
     */
    public static Optional<String> tooOpen(Path path) {
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(path);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        boolean readable = mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ);
        boolean writable = mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE);
        if (!readable && !writable) {
            return Optional.empty();
        }
        String access = readable && writable ? "readable and writable" : readable ? "readable" : "writable";
        return Optional.of("is " + access + " by group or others (mode " + octal(mode) + "); run: chmod 600 "
            + path.toAbsolutePath().normalize());
    }

    /** {@code mode} as {@code ls} and {@code chmod} write it, such as 0644. */
    static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            // PosixFilePermission lists OWNER_READ first and OTHERS_EXECUTE last: bit 8 down to bit 0
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", bits);
    }
}
