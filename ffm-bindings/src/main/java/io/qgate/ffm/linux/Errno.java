package io.qgate.ffm.linux;

/**
 * Linux errno values that qgate names in messages or acts on, with their symbolic names
 * (values from {@code asm-generic/errno-base.h} and {@code asm-generic/errno.h}, x86-64).
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ETIME = 62;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int ECANCELED = 125;

    private Errno() {
    }

    /** The symbolic name of {@code errno} ("EPERM"), or "errno N" for one not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case ENOSPC -> "ENOSPC";
            case EPIPE -> "EPIPE";
            case ENOSYS -> "ENOSYS";
            case ETIME -> "ETIME";
            case EMSGSIZE -> "EMSGSIZE";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETDOWN -> "ENETDOWN";
            case ENETUNREACH -> "ENETUNREACH";
            case ENOBUFS -> "ENOBUFS";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case ECANCELED -> "ECANCELED";
            case ESRCH -> "ESRCH";
            default -> "errno " + errno;
        };
    }

    /**
     * What a user can do about {@code errno}, or "" if nothing general applies. It serves every
     * call, so it names no call's own cause; a call with a sharper hint passes it to
     * {@link LinuxException} itself.
     */
    static String hint(int errno) {
        return switch (errno) {
            case EPERM, EACCES -> "run as root, or give the process the capability the call needs"
                + " (CAP_NET_ADMIN for network devices, addresses and routes)";
            case EMFILE, ENFILE -> "raise the open-file limit (ulimit -n)";
            case ENOMEM, ENOBUFS -> "the kernel is short of memory or buffer space, or a limit such as"
                + " the locked-memory one (ulimit -l) is too low: free memory or raise the limit";
            case EADDRINUSE -> "another process already uses that address and port";
            case EADDRNOTAVAIL -> "the address is not configured on any interface here";
            case ENOSYS -> "this kernel does not offer the system call";
            default -> "";
        };
    }
}
