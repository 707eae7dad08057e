package io.qgate.engine.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A TCP transfer for the namespace tests, run as a child process inside a namespace:
 * {@code sink PORT SECONDS} accepts one connection and prints "bytes sha256";
 * {@code source HOST PORT BYTES SEED} sends seeded pseudo-random bytes and prints "bytes sha256".
 * Both give up after a bounded time.
 */
public final class TcpTransfer {
    private TcpTransfer() {
    }

    public static void main(String[] args) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        if (args[0].equals("sink")) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(Integer.parseInt(args[1])));
                server.setSoTimeout(Integer.parseInt(args[2]) * 1000);
                System.out.println("listening");
                System.out.flush();
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(Integer.parseInt(args[2]) * 1000);
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                        total += n;
                    }
                }
            }
        } else {
            long bytes = Long.parseLong(args[3]);
            SplittableRandom random = new SplittableRandom(Long.parseLong(args[4]));
            // optional: at most this many bytes per second, so a transfer lasts long enough to change things under it
            long rate = args.length > 5 ? Long.parseLong(args[5]) : Long.MAX_VALUE;
            long started = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.ofLiteral(args[1]), Integer.parseInt(args[2])), 10_000);
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                while (total < bytes) {
                    int n = (int) Math.min(buffer.length, bytes - total);
                    for (int i = 0; i < n; i += 8) {
                        long r = random.nextLong();
                        for (int j = 0; j < 8 && i + j < n; j++) {
                            buffer[i + j] = (byte) (r >>> (8 * j));
                        }
                    }
                    out.write(buffer, 0, n);
                    sha.update(buffer, 0, n);
                    total += n;
                    long due = started + (long) (total * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (rate != Long.MAX_VALUE && wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                s.shutdownOutput();
            }
        }
        System.out.println(total + " " + HexFormat.of().formatHex(sha.digest()));
    }
}
