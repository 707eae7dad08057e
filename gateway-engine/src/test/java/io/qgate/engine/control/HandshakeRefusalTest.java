package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.HandshakeMessage;
import io.qgate.engine.protocol.InitiatorHandshake;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.ResponderHandshake;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.TrustStore;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Each refusal of section 3.1 and 8 of docs/PROTOCOL.md, driven through both handshake roles. */
class HandshakeRefusalTest {
    private static final TestPki PKI = TestPki.standard();
    private static final LongSupplier CLOCK = () -> TestPki.NOW_SECONDS * 1000;
    private static final Suite SUITE = Suite.DEFAULT;
    private static final TestPki.Identity GATEWAY = PKI.identity(CertificateRole.GATEWAY, "gw.example", SUITE);
    private static final TestPki.Identity CLIENT = PKI.identity(CertificateRole.CLIENT, "alice@example", SUITE);

    private static HandshakeConfig config(TestPki.Identity identity, TrustStore trust, List<Suite> suites) {
        return new HandshakeConfig(identity == null ? null : identity.certificate(), identity == null ? null : identity.key(),
                trust, suites, true, CLOCK, Protocol.TIMESTAMP_WINDOW_MILLIS, TestPki.RANDOM);
    }

    private static HandshakeConfig config(TestPki.Identity identity) {
        return config(identity, PKI.trust, List.of(SUITE));
    }

    /** Runs a handshake to the end and returns the error of the side that refused. */
    private static ErrorCode refusal(HandshakeConfig initiatorConfig, HandshakeConfig responderConfig, String expectedPeer) {
        try (InitiatorHandshake initiator = InitiatorHandshake.start(initiatorConfig, initiatorConfig.suites().get(0),
                expectedPeer, null, 0)) {
            HandshakeMessage initiation = initiator.initiation();
            var parsed = ResponderHandshake.check(responderConfig, initiation);
            try (ResponderHandshake responder = ResponderHandshake.respond(responderConfig, initiation, parsed)) {
                var completion = initiator.onResponse(responder.response());
                responder.onConfirm(completion.confirm());
            }
        } catch (ProtocolException e) {
            return e.error();
        }
        throw new AssertionError("the handshake was not refused");
    }

    @Test
    void completesWhenNothingIsWrong() {
        try (InitiatorHandshake initiator = InitiatorHandshake.start(config(CLIENT), SUITE, "gw.example", null, 0)) {
            var parsed = assertDoesNotThrowProtocol(() -> ResponderHandshake.check(config(GATEWAY), initiator.initiation()));
            try (ResponderHandshake responder = assertDoesNotThrowProtocol(
                    () -> ResponderHandshake.respond(config(GATEWAY), initiator.initiation(), parsed))) {
                var completion = assertDoesNotThrowProtocol(() -> initiator.onResponse(responder.response()));
                var established = assertDoesNotThrowProtocol(() -> responder.onConfirm(completion.confirm()));
                assertEquals(java.util.HexFormat.of().formatHex(completion.established().transcriptHash()),
                        java.util.HexFormat.of().formatHex(established.transcriptHash()));
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        completion.established().sendChain().bytes(), established.receiveChain().bytes());
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        completion.established().receiveChain().bytes(), established.sendChain().bytes());
            }
        }
    }

    @Test
    void refusesExpiredClientCertificate() {
        TestPki.Identity expired = PKI.identity(CertificateRole.CLIENT, "old@example", SUITE.signature(),
                TestPki.suitesUsing(SUITE.signature()), TestPki.NOW_SECONDS - 1000, TestPki.NOW_SECONDS - 10);
        assertEquals(ErrorCode.CERTIFICATE_EXPIRED, refusal(config(expired), config(GATEWAY), "gw.example"));
    }

    @Test
    void refusesNotYetValidGatewayCertificate() {
        TestPki.Identity future = PKI.identity(CertificateRole.GATEWAY, "gw.example", SUITE.signature(),
                TestPki.suitesUsing(SUITE.signature()), TestPki.NOW_SECONDS + 100, TestPki.NOW_SECONDS + 1000);
        assertEquals(ErrorCode.CERTIFICATE_NOT_YET_VALID, refusal(config(CLIENT), config(future), "gw.example"));
    }

    @Test
    void refusesRevokedClientCertificate() throws ProtocolException {
        TestPki pki = TestPki.standard();
        TestPki.Identity gateway = pki.identity(CertificateRole.GATEWAY, "gw.example", SUITE);
        TestPki.Identity revoked = pki.identity(CertificateRole.CLIENT, "mallory@example", SUITE);
        pki.trust.install(pki.authority.revoke(1, TestPki.NOW_SECONDS - 60, TestPki.NOW_SECONDS + 86_400,
                List.of(revoked.certificate().serial())));
        assertEquals(ErrorCode.CERTIFICATE_REVOKED, refusal(config(revoked, pki.trust, List.of(SUITE)),
                config(gateway, pki.trust, List.of(SUITE)), "gw.example"));
    }

    @Test
    void refusesGatewayCertifiedByAnotherRoot() {
        TestPki other = TestPki.standard();
        TestPki.Identity impostor = other.identity(CertificateRole.GATEWAY, "gw.example", SUITE);
        assertEquals(ErrorCode.UNKNOWN_ISSUER, refusal(config(CLIENT), config(impostor, other.trust, List.of(SUITE)),
                "gw.example"));
    }

    @Test
    void refusesClientCertificateUsedAsGateway() {
        TestPki.Identity clientAsGateway = PKI.identity(CertificateRole.CLIENT, "gw.example", SUITE);
        assertEquals(ErrorCode.WRONG_ROLE, refusal(config(CLIENT), config(clientAsGateway), "gw.example"));
    }

    @Test
    void refusesGatewayWithAnotherSubject() {
        assertEquals(ErrorCode.UNEXPECTED_PEER, refusal(config(CLIENT), config(GATEWAY), "other-gw.example"));
    }

    @Test
    void refusesSuiteOutsideTheRootsPolicy() {
        TestPki narrow = new TestPki("narrow-root", SignatureAlgorithm.ML_DSA_65, Suite.mask(Suite.DEFAULT));
        TestPki.Identity gateway = narrow.identity(CertificateRole.GATEWAY, "gw.example", SUITE);
        // The client trusts the narrow root but asks for the ChaCha suite, which it does not permit.
        TestPki.Identity client = PKI.identity(CertificateRole.CLIENT, "alice@example", SUITE);
        HandshakeConfig clientConfig = config(client, narrow.trust, List.of(Suite.MLKEM768_MLDSA65_CHACHA20POLY1305));
        HandshakeConfig gatewayConfig = new HandshakeConfig(gateway.certificate(), gateway.key(), narrow.trust,
                List.of(SUITE), true, CLOCK, Protocol.TIMESTAMP_WINDOW_MILLIS, TestPki.RANDOM);
        assertEquals(ErrorCode.UNSUPPORTED_SUITE, refusal(clientConfig, gatewayConfig, "gw.example"));
    }

    @Test
    void refusesDowngradedSuiteChoice() {
        List<Suite> both = List.of(Suite.MLKEM1024_MLDSA87_AES256GCM, Suite.DEFAULT);
        TestPki.Identity gateway87 = PKI.identity(CertificateRole.GATEWAY, "gw87.example", SignatureAlgorithm.ML_DSA_87,
                TestPki.suitesUsing(SignatureAlgorithm.ML_DSA_87), TestPki.NOW_SECONDS - 10, TestPki.NOW_SECONDS + 1000);
        TestPki.Identity client87 = PKI.identity(CertificateRole.CLIENT, "bob@example", SignatureAlgorithm.ML_DSA_87,
                TestPki.suitesUsing(SignatureAlgorithm.ML_DSA_87), TestPki.NOW_SECONDS - 10, TestPki.NOW_SECONDS + 1000);
        HandshakeConfig gatewayConfig = config(gateway87, PKI.trust, List.of(Suite.MLKEM1024_MLDSA87_AES256GCM));
        // An initiator that offers the strong suite but (pushed by a forged hint) chose the weak one.
        HandshakeConfig clientConfig = new HandshakeConfig(null, null, PKI.trust, both, false, CLOCK,
                Protocol.TIMESTAMP_WINDOW_MILLIS, TestPki.RANDOM);
        try (InitiatorHandshake initiator = InitiatorHandshake.start(clientConfig, Suite.DEFAULT, null, null, 0)) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> ResponderHandshake.check(gatewayConfig, initiator.initiation()));
            assertEquals(ErrorCode.UNSUPPORTED_SUITE, e.error(), e.getMessage());
        }
        HandshakeConfig gatewayBoth = config(gateway87, PKI.trust, List.of(Suite.MLKEM1024_MLDSA87_AES256GCM));
        HandshakeConfig clientBoth = new HandshakeConfig(null, null, PKI.trust,
                List.of(Suite.MLKEM1024_MLDSA87_AES256GCM, Suite.XWING_MLDSA65_AES256GCM), false, CLOCK,
                Protocol.TIMESTAMP_WINDOW_MILLIS, TestPki.RANDOM);
        try (InitiatorHandshake initiator = InitiatorHandshake.start(clientBoth, Suite.XWING_MLDSA65_AES256GCM, null,
                null, 0)) {
            HandshakeConfig gatewayPrefersStrong = new HandshakeConfig(gateway87.certificate(), gateway87.key(),
                    PKI.trust, List.of(Suite.MLKEM1024_MLDSA87_AES256GCM), false, CLOCK,
                    Protocol.TIMESTAMP_WINDOW_MILLIS, TestPki.RANDOM);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> ResponderHandshake.check(gatewayPrefersStrong, initiator.initiation()));
            assertEquals(ErrorCode.UNSUPPORTED_SUITE, e.error());
        }
        assertEquals(ErrorCode.DOWNGRADE_DETECTED, downgradeOf(client87, gatewayBoth));
    }

    private static ErrorCode downgradeOf(TestPki.Identity client87, HandshakeConfig unused) {
        TestPki.Identity gateway = PKI.identity(CertificateRole.GATEWAY, "gwx.example", SignatureAlgorithm.ML_DSA_65,
                TestPki.suitesUsing(SignatureAlgorithm.ML_DSA_65), TestPki.NOW_SECONDS - 10, TestPki.NOW_SECONDS + 1000);
        // The gateway accepts both ML-DSA-65 suites and prefers the default; the initiator offers
        // both but chose X-Wing: a downgrade from the responder's point of view.
        HandshakeConfig gatewayConfig = config(gateway, PKI.trust, List.of(Suite.DEFAULT, Suite.XWING_MLDSA65_AES256GCM));
        HandshakeConfig clientConfig = new HandshakeConfig(null, null, PKI.trust,
                List.of(Suite.XWING_MLDSA65_AES256GCM, Suite.DEFAULT), false, CLOCK, Protocol.TIMESTAMP_WINDOW_MILLIS,
                TestPki.RANDOM);
        try (InitiatorHandshake initiator = InitiatorHandshake.start(clientConfig, Suite.XWING_MLDSA65_AES256GCM, null,
                null, 0)) {
            ResponderHandshake.check(gatewayConfig, initiator.initiation());
        } catch (ProtocolException e) {
            return e.error();
        }
        throw new AssertionError("downgrade not detected");
    }

    @Test
    void refusesInitiationFromTheFarPast() {
        HandshakeConfig oldClock = new HandshakeConfig(CLIENT.certificate(), CLIENT.key(), PKI.trust, List.of(SUITE), true,
                () -> TestPki.NOW_SECONDS * 1000 - Protocol.TIMESTAMP_WINDOW_MILLIS - 1, Protocol.TIMESTAMP_WINDOW_MILLIS,
                TestPki.RANDOM);
        assertEquals(ErrorCode.TIMESTAMP_OUT_OF_WINDOW, refusal(oldClock, config(GATEWAY), "gw.example"));
    }

    @Test
    void refusesTamperedResponseAndConfirm() throws ProtocolException {
        try (InitiatorHandshake initiator = InitiatorHandshake.start(config(CLIENT), SUITE, "gw.example", null, 0)) {
            var parsed = ResponderHandshake.check(config(GATEWAY), initiator.initiation());
            try (ResponderHandshake responder = ResponderHandshake.respond(config(GATEWAY), initiator.initiation(), parsed)) {
                HandshakeMessage response = responder.response();
                byte[] body = response.body();
                body[40] ^= 1; // inside the KEM ciphertext: implicit rejection gives another secret
                HandshakeMessage tampered = new HandshakeMessage(response.type(), response.senderIndex(),
                        response.receiverIndex(), body);
                ProtocolException e = assertThrows(ProtocolException.class, () -> initiator.onResponse(tampered));
                assertEquals(ErrorCode.KEY_CONFIRMATION_FAILED, e.error());
            }
        }
        try (InitiatorHandshake initiator = InitiatorHandshake.start(config(CLIENT), SUITE, "gw.example", null, 0)) {
            var parsed = ResponderHandshake.check(config(GATEWAY), initiator.initiation());
            try (ResponderHandshake responder = ResponderHandshake.respond(config(GATEWAY), initiator.initiation(), parsed)) {
                HandshakeMessage confirm = initiator.onResponse(responder.response()).confirm();
                byte[] body = confirm.body();
                body[body.length - 1] ^= 1;
                HandshakeMessage tampered = new HandshakeMessage(confirm.type(), confirm.senderIndex(),
                        confirm.receiverIndex(), body);
                ProtocolException e = assertThrows(ProtocolException.class, () -> responder.onConfirm(tampered));
                assertEquals(ErrorCode.KEY_CONFIRMATION_FAILED, e.error());
            }
        }
    }

    @Test
    void refusesResponseToAnInitiationWhoseOfferWasAlteredOnThePath() throws ProtocolException {
        List<Suite> offer = List.of(SUITE, Suite.MLKEM768_MLDSA65_CHACHA20POLY1305);
        try (InitiatorHandshake initiator = InitiatorHandshake.start(config(CLIENT, PKI.trust, offer), SUITE,
                "gw.example", null, 0)) {
            io.qgate.engine.protocol.Initiation sent = io.qgate.engine.protocol.Initiation.parse(
                    initiator.initiation().body());
            // An attacker strips the second suite from the offer; the responder sees a valid initiation.
            io.qgate.engine.protocol.Initiation altered = new io.qgate.engine.protocol.Initiation(sent.cookie(),
                    sent.timestampMillis(), sent.random(), sent.flags(), sent.chosenSuite(), new byte[] {(byte) SUITE.id()},
                    sent.ephemeralKey(), sent.paddingLength());
            HandshakeMessage forwarded = new HandshakeMessage(initiator.initiation().type(),
                    initiator.initiation().senderIndex(), 0, altered.encode());
            var parsed = ResponderHandshake.check(config(GATEWAY), forwarded);
            try (ResponderHandshake responder = ResponderHandshake.respond(config(GATEWAY), forwarded, parsed)) {
                ProtocolException e = assertThrows(ProtocolException.class, () -> initiator.onResponse(responder.response()));
                assertEquals(ErrorCode.KEY_CONFIRMATION_FAILED, e.error(), "the transcripts differ, so the keys do");
            }
        }
    }

    @Test
    void everyAttemptHasAFreshEphemeralKeyIndexAndRandom() throws ProtocolException {
        java.util.Set<String> keys = new java.util.HashSet<>();
        java.util.Set<Integer> indexes = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            try (InitiatorHandshake initiator = InitiatorHandshake.start(config(CLIENT), SUITE, null, null, 0)) {
                var body = io.qgate.engine.protocol.Initiation.parse(initiator.initiation().body());
                keys.add(java.util.HexFormat.of().formatHex(body.ephemeralKey()) + java.util.HexFormat.of().formatHex(body.random()));
                indexes.add(initiator.senderIndex());
            }
        }
        assertEquals(5, keys.size());
        assertEquals(5, indexes.size());
    }

    private interface ProtocolCall<T> {
        T call() throws ProtocolException;
    }

    private static <T> T assertDoesNotThrowProtocol(ProtocolCall<T> call) {
        try {
            return call.call();
        } catch (ProtocolException e) {
            throw new AssertionError("unexpected refusal " + e.error() + ": " + e.getMessage(), e);
        }
    }
}
