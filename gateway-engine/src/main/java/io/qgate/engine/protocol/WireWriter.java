package io.qgate.engine.protocol;

import java.util.Arrays;

/** A growable big-endian writer for building message bodies on the cold (handshake) path. */
public final class WireWriter {
    private byte[] buffer;
    private int length;

    public WireWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public WireWriter u8(int value) {
        ensure(1);
        buffer[length++] = (byte) value;
        return this;
    }

    public WireWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + value);
        }
        ensure(2);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
        return this;
    }

    public WireWriter u32(int value) {
        ensure(4);
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
        return this;
    }

    public WireWriter u64(long value) {
        u32((int) (value >>> 32));
        return u32((int) value);
    }

    public WireWriter bytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, length, value.length);
        length += value.length;
        return this;
    }

    public WireWriter zeros(int count) {
        ensure(count);
        length += count;
        return this;
    }

    public WireWriter u16Prefixed(byte[] value) {
        return u16(value.length).bytes(value);
    }

    public WireWriter u32Prefixed(byte[] value) {
        return u32(value.length).bytes(value);
    }

    public int length() {
        return length;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
