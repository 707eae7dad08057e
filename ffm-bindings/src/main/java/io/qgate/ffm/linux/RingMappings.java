package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The three memory areas an io_uring fd exposes through {@code mmap}: the SQ ring (head, tail,
 * mask, flags, index array), the CQ ring (head, tail, mask, CQEs) and the SQE array. With
 * {@code IORING_FEAT_SINGLE_MMAP} the SQ and CQ rings are one mapping.
 *
 * <p>The segments handed out are views bound to a shared arena that {@link #close} ends
 * <em>before</em> unmapping, so a stray use after close throws {@link IllegalStateException}
 * instead of touching unmapped memory. Shared, not confined, because a ring is often opened on
 * one thread and driven by another.
 */
final class RingMappings implements AutoCloseable {
    private static final int PROT = Mmap.PROT_READ | Mmap.PROT_WRITE;
    private static final int FLAGS = Mmap.MAP_SHARED | Mmap.MAP_POPULATE;

    private final Arena arena;
    private final MemorySegment sqMapping;
    private final MemorySegment cqMapping;
    private final MemorySegment sqesMapping;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;

    private RingMappings(MemorySegment sqMapping, MemorySegment cqMapping, MemorySegment sqesMapping) {
        this.arena = Arena.ofShared();
        this.sqMapping = sqMapping;
        this.cqMapping = cqMapping;
        this.sqesMapping = sqesMapping;
        this.sqRing = sqMapping.reinterpret(arena, null);
        this.cqRing = cqMapping == sqMapping ? sqRing : cqMapping.reinterpret(arena, null);
        this.sqes = sqesMapping.reinterpret(arena, null);
    }

    /** Maps the rings of {@code ringFd} with the sizes {@code io_uring_setup} wrote into {@code params}. */
    static RingMappings map(int ringFd, MemorySegment params, int features) {
        long sqEntries = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, IoUringAbi.PARAMS_SQ_ENTRIES));
        long cqEntries = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, IoUringAbi.PARAMS_CQ_ENTRIES));
        long sqArray = Integer.toUnsignedLong(
            params.get(ValueLayout.JAVA_INT, IoUringAbi.PARAMS_SQ_OFF + IoUringAbi.SQ_OFF_ARRAY));
        long cqes = Integer.toUnsignedLong(
            params.get(ValueLayout.JAVA_INT, IoUringAbi.PARAMS_CQ_OFF + IoUringAbi.CQ_OFF_CQES));
        long sqLength = sqArray + sqEntries * Integer.BYTES;
        long cqLength = cqes + cqEntries * IoUringAbi.CQE_SIZE;
        boolean single = (features & IoUringAbi.FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqLength = Math.max(sqLength, cqLength);
        }
        MemorySegment sq = Mmap.map(sqLength, PROT, FLAGS, ringFd, IoUringAbi.OFF_SQ_RING, "io_uring SQ ring");
        MemorySegment cq = null;
        try {
            cq = single ? sq : Mmap.map(cqLength, PROT, FLAGS, ringFd, IoUringAbi.OFF_CQ_RING, "io_uring CQ ring");
            MemorySegment entries = Mmap.map(sqEntries * IoUringAbi.SQE_SIZE, PROT, FLAGS, ringFd,
                IoUringAbi.OFF_SQES, "io_uring SQE array");
            return new RingMappings(sq, cq, entries);
        } catch (RuntimeException | Error e) {
            if (cq != null && cq != sq) {
                Mmap.unmap(cq.address(), cq.byteSize());
            }
            Mmap.unmap(sq.address(), sq.byteSize());
            throw e;
        }
    }

    MemorySegment sqRing() {
        return sqRing;
    }

    MemorySegment cqRing() {
        return cqRing;
    }

    MemorySegment sqes() {
        return sqes;
    }

    /** Where the ring keeps memory that lives exactly as long as the mappings (its wait argument). */
    Arena arena() {
        return arena;
    }

    /** Ends the views, then unmaps. */
    @Override
    public void close() {
        arena.close();
        Mmap.unmap(sqesMapping.address(), sqesMapping.byteSize());
        if (cqMapping != sqMapping) {
            Mmap.unmap(cqMapping.address(), cqMapping.byteSize());
        }
        Mmap.unmap(sqMapping.address(), sqMapping.byteSize());
    }
}
