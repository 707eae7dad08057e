package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MmapTest {
    @Test
    void aBadDescriptorSurfacesAsLinuxExceptionNamingMmap() {
        var e = assertThrows(LinuxException.class,
            () -> Mmap.map(4096, Mmap.PROT_READ, Mmap.MAP_SHARED, -1, 0, "test area"));
        assertEquals("mmap", e.call());
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().startsWith("mmap failed (test area, 4096 bytes of fd -1 at offset 0x0): EBADF"),
            e.getMessage());
    }

    @Test
    void rejectsANonPositiveLength() {
        assertThrows(IllegalArgumentException.class, () -> Mmap.map(0, Mmap.PROT_READ, Mmap.MAP_SHARED, 0, 0, "x"));
    }

    @Test
    void unmappingAMisalignedAddressSurfacesEinval() {
        var e = assertThrows(LinuxException.class, () -> Mmap.unmap(1, 4096));
        assertEquals("munmap", e.call());
        assertEquals(Errno.EINVAL, e.errno());
    }
}
