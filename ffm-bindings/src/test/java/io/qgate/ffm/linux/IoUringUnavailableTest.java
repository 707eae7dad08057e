package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentences a user reads when io_uring is refused; no io_uring needed. */
class IoUringUnavailableTest {
    @Test
    void disabledBySysctlSaysHowToTurnItOn() {
        assertEquals("io_uring_setup failed with EPERM (errno 1) because kernel.io_uring_disabled is 2; set it to 0 "
                + "(sysctl -w kernel.io_uring_disabled=0) or use the batched system-call backend",
            IoUring.setupRefused(Errno.EPERM, "2"));
    }

    @Test
    void restrictedToAGroupSaysWhoMayUseIt() {
        String reason = IoUring.setupRefused(Errno.EPERM, "1");
        assertTrue(reason.contains("kernel.io_uring_disabled is 1"), reason);
        assertTrue(reason.contains("kernel.io_uring_group"), reason);
    }

    @Test
    void missingSystemCallBlamesTheKernelBuildOrSeccomp() {
        assertEquals("io_uring_setup failed with ENOSYS (errno 38): the kernel was built without io_uring or a seccomp "
                + "filter hides it; use the batched system-call backend",
            IoUring.setupRefused(Errno.ENOSYS, null));
    }

    @Test
    void refusedWhileEnabledBlamesAPolicy() {
        String reason = IoUring.setupRefused(Errno.EPERM, "0");
        assertTrue(reason.startsWith("io_uring_setup failed with EPERM (errno 1): a seccomp filter"), reason);
        assertTrue(reason.endsWith("or use the batched system-call backend"), reason);
    }

    @Test
    void exceptionMessageStartsWithTheVerdict() {
        var e = new IoUringUnavailableException(IoUring.setupRefused(Errno.EPERM, "2"), null);
        assertTrue(e.getMessage().startsWith("io_uring is not available here: io_uring_setup failed with EPERM"));
        assertEquals(IoUring.setupRefused(Errno.EPERM, "2"), e.reason());
    }

    @Test
    void readsTheSettingAndToleratesItsAbsence(@TempDir Path dir) throws IOException {
        Path setting = Files.writeString(dir.resolve("io_uring_disabled"), "2\n");
        assertEquals("2", IoUring.readSetting(setting));
        assertNull(IoUring.readSetting(dir.resolve("missing")));
    }

    @Test
    void unavailableReasonIsEmptyExactlyWhenAvailable() {
        assertEquals(IoUring.available(), IoUring.unavailableReason().isEmpty());
    }
}
