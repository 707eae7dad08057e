package io.qgate.bench;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ConfirmPayload;
import io.qgate.engine.protocol.CookieReply;
import io.qgate.engine.protocol.FragmentHeader;
import io.qgate.engine.protocol.Fragmenter;
import io.qgate.engine.protocol.HandshakeMessage;
import io.qgate.engine.protocol.HandshakeSizes;
import io.qgate.engine.protocol.Initiation;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Reassembler;
import io.qgate.engine.protocol.ResponseBody;
import io.qgate.engine.protocol.ResponsePayload;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.DataHeader;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codecs, in nanoseconds per operation: the data header (per packet: must not
 * allocate), the fragment header, the handshake bodies (INITIATION, RESPONSE with its payload,
 * CONFIRM's payload), reassembling a three-fragment initiation, the cookie reply and a
 * certificate. Every message is of the default suite, as the gateway sends it: the initiation
 * padded as section 7 asks against the largest response, the certificates signed with ML-DSA-65.
 * Setup checks that each decode gives back what was encoded.
 *
 * <p>Run with {@code benchmarks/run Codec -prof gc}: {@code gc.alloc.rate.norm} is the
 * allocation per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
    private static final Suite SUITE = Suite.DEFAULT;
    private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.7", 40000);

    private Arena arena;
    private final DataHeader dataHeader = new DataHeader();
    private final FragmentHeader fragmentHeader = new FragmentHeader();
    private MemorySegment dataPacket;
    private MemorySegment fragment;
    private long counter;

    private Initiation initiation;
    private byte[] initiationBody;
    private ResponseBody response;
    private byte[] responseBody;
    private ResponsePayload responsePayload;
    private byte[] responsePayloadBytes;
    private ConfirmPayload confirm;
    private byte[] confirmBytes;
    private byte[] cookie;
    private MemorySegment cookieReply;
    private byte[] certificate;

    private Reassembler reassembler;
    private MemorySegment[] initiationFragments;
    private long now;

    @Setup(Level.Trial)
    public void setUp() throws ProtocolException {
        arena = Arena.ofShared();
        SecureRandom random = new SecureRandom();
        SplittableRandom bytes = new SplittableRandom(1);
        dataPacket = arena.allocate(Protocol.DATA_HEADER_LENGTH, 64);
        dataHeader.wrap(dataPacket).type(MessageType.DATA.code()).version(Protocol.VERSION).receiverIndex(0x1234).counter(0);

        int padding = HandshakeSizes.initiationPadding(SUITE, 1, HandshakeSizes.maxResponseBytes(SUITE, SignatureAlgorithm.ML_DSA_65));
        initiation = new Initiation(new byte[Protocol.COOKIE_LENGTH], System.currentTimeMillis(), random(bytes, Protocol.RANDOM_LENGTH),
            Initiation.FLAG_MUTUAL, SUITE, new byte[] {(byte) SUITE.id()}, random(bytes, SUITE.kem().publicKeyLength()), padding);
        initiationBody = initiation.encode();
        check(Initiation.parse(initiationBody).equals(initiation), "initiation");
        List<byte[]> fragments = Fragmenter.fragment(new HandshakeMessage(MessageType.INITIATION, 0x42, 0, initiationBody),
            Protocol.MAX_HANDSHAKE_DATAGRAM);
        check(fragments.size() == 3, "a default-suite initiation of " + fragments.size() + " fragments, not 3:");
        initiationFragments = new MemorySegment[fragments.size()];
        for (int i = 0; i < fragments.size(); i++) {
            initiationFragments[i] = arena.allocate(fragments.get(i).length);
            MemorySegment.copy(fragments.get(i), 0, initiationFragments[i], java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                fragments.get(i).length);
        }
        fragment = initiationFragments[1];
        reassembler = new Reassembler();
        now = System.nanoTime();
        check(reassemble() instanceof Reassembler.Complete c && Arrays.equals(c.message().body(), initiationBody),
            "reassembly");

        long seconds = System.currentTimeMillis() / 1000;
        CertificateAuthority authority = CertificateAuthority.createRoot("bench-root",
            SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, random), Suite.VALID_MASK, seconds - 86_400,
            seconds + 86_400, random);
        SigningIdentity key = SigningIdentity.generate(SUITE.signature(), random);
        certificate = authority.issue(CertificateRole.GATEWAY, "gw.example", key.publicKey(), SUITE.signature(),
            SUITE.bit(), seconds - 86_400, seconds + 86_400).encoded();
        check(Arrays.equals(Certificate.parse(certificate).encoded(), certificate), "certificate");
        byte[] signature = random(bytes, SUITE.signature().signatureLength());
        byte[] finished = random(bytes, Protocol.FINISHED_LENGTH);
        responsePayload = new ResponsePayload(certificate, signature, finished);
        responsePayloadBytes = responsePayload.encode();
        check(Arrays.equals(ResponsePayload.parse(responsePayloadBytes).encode(), responsePayloadBytes), "response payload");
        // the sealed payload's bytes do not change the codec's work: the payload plus a tag's room
        response = new ResponseBody(random(bytes, Protocol.RANDOM_LENGTH), random(bytes, SUITE.kem().ciphertextLength()),
            Arrays.copyOf(responsePayloadBytes, responsePayloadBytes.length + Protocol.TAG_LENGTH));
        responseBody = response.encode();
        check(Arrays.equals(ResponseBody.parse(responseBody, SUITE).encode(), responseBody), "response");
        confirm = new ConfirmPayload(certificate, signature, finished);
        confirmBytes = confirm.encode();
        check(Arrays.equals(ConfirmPayload.parse(confirmBytes).encode(), confirmBytes), "confirm payload");
        cookie = random(bytes, Protocol.COOKIE_LENGTH);
        byte[] reply = CookieReply.encode(0x42, cookie);
        cookieReply = arena.allocate(reply.length);
        MemorySegment.copy(reply, 0, cookieReply, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, reply.length);
        check(Arrays.equals(CookieReply.parse(cookieReply, reply.length).cookie(), cookie), "cookie reply");
    }

    private static byte[] random(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " did not decode to what was encoded");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Per packet, sending: the header's fields as {@code Keypair.seal} writes them. */
    @Benchmark
    public MemorySegment dataHeaderEncode() {
        long c = ++counter;
        dataHeader.epoch((int) (c >>> Protocol.EPOCH_SHIFT)).counter(c);
        return dataPacket;
    }

    /** Per packet, receiving: every header field read. */
    @Benchmark
    public long dataHeaderDecode() {
        DataHeader h = dataHeader.wrap(dataPacket);
        return h.type() + h.version() + h.epoch() + h.receiverIndex() + h.counter();
    }

    /** A fragment's header: every field read. */
    @Benchmark
    public long fragmentHeaderParse() {
        FragmentHeader h = fragmentHeader.wrap(fragment);
        return h.type() + h.version() + h.messageLength() + h.senderIndex() + h.receiverIndex() + h.fragmentOffset()
            + h.fragmentIndex() + h.fragmentCount();
    }

    @Benchmark
    public byte[] initiationEncode() {
        return initiation.encode();
    }

    @Benchmark
    public Initiation initiationParse() throws ProtocolException {
        return Initiation.parse(initiationBody);
    }

    /** The RESPONSE body and the responder payload inside its sealed part. */
    @Benchmark
    public byte[] responseEncode() {
        return new ResponseBody(response.random(), response.ciphertext(), responsePayload.encode()).encode();
    }

    @Benchmark
    public ResponsePayload responseParse() throws ProtocolException {
        ResponseBody.parse(responseBody, SUITE);
        return ResponsePayload.parse(responsePayloadBytes);
    }

    /** The CONFIRM payload (certificate, signature, finished) that CONFIRM seals. */
    @Benchmark
    public byte[] confirmEncode() {
        return confirm.encode();
    }

    @Benchmark
    public ConfirmPayload confirmParse() throws ProtocolException {
        return ConfirmPayload.parse(confirmBytes);
    }

    /** The three fragments of one initiation, in order, to the complete message. */
    @Benchmark
    public Reassembler.Result reassembleInitiation() {
        return reassemble();
    }

    private Reassembler.Result reassemble() {
        Reassembler.Result result = null;
        for (MemorySegment f : initiationFragments) {
            result = reassembler.accept(SOURCE, f, (int) f.byteSize(), now);
        }
        return result;
    }

    @Benchmark
    public byte[] cookieReplyEncode() {
        return CookieReply.encode(0x42, cookie);
    }

    @Benchmark
    public CookieReply cookieReplyParse() throws ProtocolException {
        return CookieReply.parse(cookieReply, (int) cookieReply.byteSize());
    }

    /** Parsing a default-suite gateway certificate (every section 3.1 rule that needs no key, and its SHA3 id). */
    @Benchmark
    public Certificate certificateParse() throws ProtocolException {
        return Certificate.parse(certificate);
    }
}
