package io.qgate.engine.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyPermissionsTest {
    @TempDir
    Path dir;

    private Path keyWithMode(String mode) throws Exception {
        Path key = dir.resolve("k" + mode + ".key");
        Files.writeString(key, "key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
        return key;
    }

    @Test
    void acceptsAKeyOnlyItsOwnerCanUse() throws Exception {
        assertEquals(Optional.empty(), PrivateKeyPermissions.tooOpen(keyWithMode("rw-------")));
        assertEquals(Optional.empty(), PrivateKeyPermissions.tooOpen(keyWithMode("r--------")));
        assertEquals(Optional.empty(), PrivateKeyPermissions.tooOpen(keyWithMode("rwx-----x")), "execute alone reveals nothing");
    }

    @Test
    void leavesAMissingFileToTheReaderToReport() {
        assertEquals(Optional.empty(), PrivateKeyPermissions.tooOpen(dir.resolve("absent.key")));
    }

    @Test
    void namesWhatOthersMayDoTheModeAndTheChmod() throws Exception {
        Path readable = keyWithMode("rw----r--");
        assertEquals(Optional.of("is readable by group or others (mode 0604); run: chmod 600 " + readable),
            PrivateKeyPermissions.tooOpen(readable));
        Path writable = keyWithMode("rw--w----");
        assertEquals(Optional.of("is writable by group or others (mode 0620); run: chmod 600 " + writable),
            PrivateKeyPermissions.tooOpen(writable));
    }

    @Test
    void theChmodNamesTheAbsolutePath() throws Exception {
        keyWithMode("rw-r--r--");
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("krw-r--r--.key"));
        assertEquals(Optional.of("is readable by group or others (mode 0644); run: chmod 600 " + dir.resolve("krw-r--r--.key")),
            PrivateKeyPermissions.tooOpen(relative));
    }
}
