package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.kdf.Sha3;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.session.TrafficKeys;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The deterministic test vectors of section 13 of {@code docs/PROTOCOL.md}: from fixed seeds, the
 * exact bytes of every handshake message, the derived keys and one data packet per suite. The test
 * regenerates them and compares with {@code docs/vectors/protocol-v1-<suite>.txt}; run with
 * {@code -Dqgate.vectors.write=true} to rewrite the files after a deliberate protocol change.
 */
class ProtocolVectorsTest {
    static final long NOW_MILLIS = 1_795_305_600_000L;
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @EnumSource(Suite.class)
    void reproducesTheSpecVectors(Suite suite) throws Exception {
        String generated = generate(suite);
        Path file = Path.of("..", "docs", "vectors", "protocol-v1-" + suite.suiteName() + ".txt");
        if (Boolean.getBoolean("qgate.vectors.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), file + " is missing: generate it with -Dqgate.vectors.write=true");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), generated,
                "the handshake no longer reproduces " + file);
        assertEquals(generated, generate(suite), "generation is not deterministic");
    }

    static String generate(Suite suite) throws ProtocolException, IOException {
        StringBuilder out = new StringBuilder();
        line(out, "# qgate protocol v1 test vector, suite " + suite.suiteName() + " (docs/PROTOCOL.md section 13)");
        line(out, "# Randomness: SHAKE256(\"qgate-v1 test vector \" || name) streams; certificates signed"
                + " deterministically; wall clock " + NOW_MILLIS + " ms.");
        long now = NOW_MILLIS / 1000;
        try (SigningIdentity rootKey = SigningIdentity.fromSeed(io.qgate.crypto.sig.SignatureAlgorithm.ML_DSA_65,
                        seed("root key", 32));
                SigningIdentity gatewayKey = SigningIdentity.fromSeed(suite.signature(), seed("gateway key", 32));
                SigningIdentity clientKey = SigningIdentity.fromSeed(suite.signature(), seed("client key", 32))) {
            CertificateAuthority root = CertificateAuthority.createRoot("vector-root", rootKey, Suite.VALID_MASK,
                    now - 86_400, now + 365 * 86_400L, new ShakeRandom("root serials"));
            var gateway = root.issue(CertificateRole.GATEWAY, "gw.vector", gatewayKey.publicKey(), suite.signature(),
                    suite.bit(), now - 3600, now + 30 * 86_400L);
            var client = root.issue(CertificateRole.CLIENT, "client.vector", clientKey.publicKey(), suite.signature(),
                    suite.bit(), now - 3600, now + 30 * 86_400L);
            TrustStore trust = new TrustStore(List.of(root.root()));
            HandshakeConfig initiatorConfig = new HandshakeConfig(client, clientKey, trust, List.of(suite), true,
                    () -> NOW_MILLIS, Protocol.TIMESTAMP_WINDOW_MILLIS, new ShakeRandom("initiator"));
            HandshakeConfig responderConfig = new HandshakeConfig(gateway, gatewayKey, trust, List.of(suite), true,
                    () -> NOW_MILLIS, Protocol.TIMESTAMP_WINDOW_MILLIS, new ShakeRandom("responder"));
            field(out, "root_certificate", root.root().encoded());
            field(out, "gateway_certificate", gateway.encoded());
            field(out, "client_certificate", client.encoded());
            int padding = HandshakeSizes.initiationPadding(suite, 1,
                    HandshakeSizes.maxResponseBytes(suite, root.root().keyAlgorithm()));
            try (InitiatorHandshake initiator = InitiatorHandshake.start(initiatorConfig, suite, "gw.vector", null,
                    padding)) {
                HandshakeMessage initiation = initiator.initiation();
                field(out, "initiation", initiation.canonical());
                Initiation parsed = ResponderHandshake.check(responderConfig, initiation);
                try (ResponderHandshake responder = ResponderHandshake.respond(responderConfig, initiation, parsed)) {
                    field(out, "response", responder.response().canonical());
                    InitiatorHandshake.Completion completion = initiator.onResponse(responder.response());
                    field(out, "confirm", completion.confirm().canonical());
                    Established atResponder = responder.onConfirm(completion.confirm());
                    Established atInitiator = completion.established();
                    field(out, "transcript_hash_th7", atInitiator.transcriptHash());
                    assertEquals(HEX.formatHex(atInitiator.transcriptHash()), HEX.formatHex(atResponder.transcriptHash()));
                    SecretBytes i2r = atInitiator.chains().initiatorToResponder();
                    SecretBytes r2i = atInitiator.chains().responderToInitiator();
                    field(out, "chain_i2r_0", i2r.bytes());
                    field(out, "chain_r2i_0", r2i.bytes());
                    field(out, "okm_i2r_epoch0", TrafficKeys.derive(i2r, 0));
                    field(out, "okm_r2i_epoch0", TrafficKeys.derive(r2i, 0));
                    out.append(dataPacket(atInitiator, atResponder));
                }
            }
        }
        return out.toString();
    }

    /** One DATA packet "hello, qgate" from initiator to responder at counter 0, then opened. */
    private static String dataPacket(Established initiator, Established responder) {
        StringBuilder out = new StringBuilder();
        byte[] plaintext = "hello, qgate".getBytes(StandardCharsets.US_ASCII);
        Backend backend = Aeads.defaultBackend(initiator.suite().aead());
        try (Arena arena = Arena.ofConfined();
                Keypair sender = new Keypair(initiator.suite(), initiator.localIndex(), initiator.remoteIndex(),
                        initiator.sendChain(), initiator.receiveChain(), 0, 1, backend);
                Keypair receiver = new Keypair(responder.suite(), responder.localIndex(), responder.remoteIndex(),
                        responder.sendChain(), responder.receiveChain(), 0, 1, backend)) {
            MemorySegment packet = arena.allocate(64);
            MemorySegment.copy(MemorySegment.ofArray(plaintext), 0, packet, Protocol.DATA_HEADER_LENGTH, plaintext.length);
            int length = sender.seal(0, packet, plaintext.length, MessageType.DATA.code(), 1);
            byte[] sealed = packet.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            field(out, "data_plaintext", plaintext);
            field(out, "data_packet", sealed);
            int opened = receiver.open(0, packet, length, 2);
            assertEquals(plaintext.length, opened, Keypair.describe(opened));
        }
        return out.toString();
    }

    static byte[] seed(String name, int length) {
        byte[] seed = new byte[length];
        new ShakeRandom(name).nextBytes(seed);
        return seed;
    }

    private static void field(StringBuilder out, String name, byte[] value) {
        out.append(name).append(" (").append(value.length).append(" bytes, sha3-256 ")
                .append(HEX.formatHex(Sha3.sha3_256(value))).append(")\n");
        String hex = HEX.formatHex(value);
        for (int i = 0; i < hex.length(); i += 96) {
            out.append("  ").append(hex, i, Math.min(hex.length(), i + 96)).append('\n');
        }
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }
}
