package io.qgate.engine.gateway;

import io.qgate.engine.net.TunSegmenter;
import io.qgate.engine.net.VirtioNetHeader;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ring.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The TUN reader's path where the device was opened with offloads ({@code offload = true}): one
 * {@code read} brings a virtio header and a packet of up to 64 KiB, often a TCP super-packet the
 * local stack handed over whole (TSO), which {@link TunSegmenter} cuts into ordinary packets, one
 * per ring slot. A super-packet larger than the batch's remaining slots continues in the next
 * batch. Both I/O backends read this way: one {@code read} per super-packet already replaces
 * dozens of packets' calls. The reading thread's alone; nothing allocated per packet.
 */
final class TunOffloadReader {
    /** The largest packet a TUN with TSO hands over (64 KiB, the IPv4 length's limit) and its header. */
    static final int BUFFER = VirtioNetHeader.SIZE + 65_536;

    private final PacketIo.Host host;
    private final Counters counters;
    private final MemorySegment buffer;
    private final TunSegmenter segmenter = new TunSegmenter();
    /** The next segment of the parsed packet to hand out; equal to its segment count when none is left. */
    private int next;

    TunOffloadReader(PacketIo.Host host, Counters counters, Arena arena) {
        this.host = host;
        this.counters = counters;
        this.buffer = arena.allocate(BUFFER, 64);
    }

    /**
     * Fills slots {@code 0..n-1} of {@code batch} with packets: first what is left of the last
     * super-packet, then new reads until {@code max} slots are full or nothing waits.
     *
     * @return packets placed; 0 when none was waiting
     */
    int read(int fd, Frames frames, PacketBatch batch, int max, int maxPacket) {
        int n = 0;
        while (n < max) {
            if (next < segmenter.segments()) {
                batch.length(n, segmenter.segment(next++, frames.inner(n)));
                n++;
                continue;
            }
            long r = Fd.read(fd, buffer, BUFFER);
            if (r > 0) {
                next = 0;
                int segments = segmenter.parse(buffer, 0, (int) r, maxPacket);
                if (segments == TunSegmenter.TOO_BIG) {
                    counters.droppedTooBig.incrementAndGet();
                } else if (segments < 0) {
                    counters.droppedMalformed.incrementAndGet();
                } else if (segments > 1) {
                    counters.tunSuperPacketsRead.incrementAndGet();
                }
            } else if (r != -Errno.EINTR) {
                if (r < 0 && r != -Errno.EAGAIN) {
                    host.ioError("read(tun)", (int) -r);
                }
                break;
            }
        }
        return n;
    }
}
