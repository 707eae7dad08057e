package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.engine.fuzz.DatagramSequence;
import io.qgate.engine.fuzz.Seeds;
import io.qgate.engine.protocol.CookieReply;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.HandshakeError;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target for the whole receive path, {@link Endpoint#receive}: a gateway and a client with an
 * established session take arbitrary datagrams, spoofed from each other's address or from one of
 * 64 other hosts. Nothing may escape {@code receive}, neither side's current keypair may change,
 * and data must still flow both ways after every input.
 *
 * <p>The session is made once per JVM and shared by every input (a handshake per input would
 * leave the fuzzer a few dozen inputs a second), so the seeds, recorded from its own handshake,
 * carry its real indexes. Its clock moves only as the network delivers, microseconds per input,
 * so nothing expires during a run; a session older than {@link #MAX_SESSION_AGE} is replaced.
 */
class EndpointFuzzTest {
    private static final TestPki PKI = TestPki.standard();
    private static final long SECOND = 1_000_000_000L;
    private static final long MAX_SESSION_AGE = 60 * SECOND;
    private static final int PROBE_LENGTH = 48;
    private static final int TO_GATEWAY_FROM_CLIENT = 0;
    private static final int TO_GATEWAY_FROM_ELSEWHERE = 1;
    private static final int TO_CLIENT_FROM_GATEWAY = 2;
    private static Session session;

    /**
     * A sequence of datagrams ({@link DatagramSequence}): selector bits 0-1 pick the receiver and
     * the claimed source ({@code TO_*}, 3 being the client from elsewhere), bits 2-7 the other
     * host, bit 7 also a read-only segment.
     */
    @MethodSource("recordedDatagrams")
    @FuzzTest
    void receive(byte[] input) {
        Session current = session();
        for (DatagramSequence.Entry entry : DatagramSequence.split(input)) {
            current.deliver(entry.selector(), entry.datagram());
        }
        current.assertUndisturbed();
    }

    @Test
    void seedsHoldEveryKindOfDatagramTheSessionSent() {
        Set<Integer> types = new HashSet<>();
        for (byte[] datagram : session().recorded) {
            types.add(datagram[0] & 0xFF);
        }
        for (MessageType type : List.of(MessageType.INITIATION, MessageType.RESPONSE, MessageType.CONFIRM, MessageType.DATA)) {
            assertTrue(types.contains(type.code()), "no " + type + " was recorded");
        }
    }

    private static Session session() {
        if (session != null && session.age() > MAX_SESSION_AGE) {
            session.close();
            session = null;
        }
        if (session == null) {
            session = new Session();
        }
        return session;
    }

    /** An established tunnel and the keypairs no unauthenticated datagram may replace. */
    private static final class Session implements AutoCloseable {
        final SimulatedNetwork network = new SimulatedNetwork(11, SimulatedNetwork.Faults.NONE);
        final Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        final Keypair atClient;
        final Keypair atGateway;
        final long createdNanos;
        /** What the handshake and the first packets put on the wire, for seeds. */
        final List<byte[]> recorded;
        int probes;

        Session() {
            tunnel.clientSends(0, PROBE_LENGTH);
            assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 10_000), "the fuzz session did not establish");
            tunnel.gatewaySends(0, PROBE_LENGTH);
            network.runFor(SECOND);
            atClient = tunnel.gatewayAtClient.keypairs().current();
            atGateway = tunnel.clientAtGateway().keypairs().current();
            createdNanos = network.now();
            recorded = List.copyOf(network.recorded());
            forgetHistory();
        }

        long age() {
            return network.now() - createdNanos;
        }

        void deliver(int selector, byte[] datagram) {
            boolean toGateway = (selector & 3) < TO_CLIENT_FROM_GATEWAY;
            boolean spoofsPeer = (selector & 1) == 0;
            SimulatedNetwork.Node receiver = toGateway ? tunnel.gateway : tunnel.client;
            InetSocketAddress source = spoofsPeer ? (toGateway ? Tunnel.CLIENT_ADDRESS : Tunnel.GATEWAY_ADDRESS)
                : new InetSocketAddress("203.0.113." + (selector >>> 2), 40_000 + selector);
            MemorySegment segment = MemorySegment.ofArray(datagram.clone());
            if ((selector & 0x80) != 0) {
                segment = segment.asReadOnly();
            }
            receiver.endpoint.receive(source, segment, datagram.length, network.now(), receiver);
        }

        void assertUndisturbed() {
            assertSame(atClient, tunnel.gatewayAtClient.keypairs().current(), "the client's current keypair changed");
            assertSame(atGateway, tunnel.clientAtGateway().keypairs().current(), "the gateway's current keypair changed");
            int number = ++probes;
            tunnel.clientSends(number, PROBE_LENGTH);
            tunnel.gatewaySends(-number, PROBE_LENGTH);
            assertTrue(network.runUntil(() -> !tunnel.gateway.delivered.isEmpty() && !tunnel.client.delivered.isEmpty(),
                SECOND, 10_000), "data stopped flowing");
            assertArrayEquals(Tunnel.packet(number, PROBE_LENGTH), tunnel.gateway.delivered.getLast());
            assertArrayEquals(Tunnel.packet(-number, PROBE_LENGTH), tunnel.client.delivered.getLast());
            forgetHistory();
        }

        @Override
        public void close() {
            tunnel.gateway.endpoint.close();
            tunnel.client.endpoint.close();
        }

        /** The network and nodes keep everything for their tests; a fuzz run would run out of memory. */
        private void forgetHistory() {
            network.recorded().clear();
            for (SimulatedNetwork.Node node : List.of(tunnel.gateway, tunnel.client)) {
                node.delivered.clear();
                node.events.clear();
            }
        }
    }

    /** The session's own handshake and data datagrams, each sent where it went, and control datagrams. */
    static Stream<Arguments> recordedDatagrams() {
        List<Arguments> seeds = new ArrayList<>();
        List<byte[]> recorded = session().recorded;
        for (int i = 0; i < recorded.size(); i++) {
            byte[] datagram = recorded.get(i);
            MessageType type = MessageType.fromCode(datagram[0]);
            int selector = type == MessageType.INITIATION || type == MessageType.CONFIRM ? TO_GATEWAY_FROM_CLIENT
                : type == MessageType.RESPONSE ? TO_CLIENT_FROM_GATEWAY : i % 4;
            seeds.add(Seeds.named("recorded " + type + " " + i, DatagramSequence.join(selector, List.of(datagram))));
        }
        byte[] initiation = recorded.get(0);
        seeds.add(Seeds.named("an initiation from elsewhere",
            DatagramSequence.join(TO_GATEWAY_FROM_ELSEWHERE | 4 << 2, List.of(initiation))));
        seeds.add(Seeds.named("a cookie reply", DatagramSequence.join(TO_CLIENT_FROM_GATEWAY,
            List.of(CookieReply.encode(1, new byte[Protocol.COOKIE_LENGTH])))));
        seeds.add(Seeds.named("a handshake error", DatagramSequence.join(TO_CLIENT_FROM_GATEWAY,
            List.of(new HandshakeError(ErrorCode.UNSUPPORTED_SUITE, 1, new byte[] {2}).encode()))));
        return seeds.stream();
    }
}
