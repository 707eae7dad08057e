package io.qgate.perf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.StatusJson;
import java.nio.file.Path;
import java.util.List;

/**
 * What a soak reads from a gateway with one peer, in the stable JSON of {@code qgate show --json}
 * ({@code docs/OPERATIONS.md}): its pid and state, and its peer's handshake, traffic and drop
 * counters. The drops named here are the ones a rekey could cause: a packet sent while no key
 * was usable ({@code dropped_no_keys}), one arriving for a session index the receiver no longer
 * knows (the gateway's {@code dropped_unknown_index}), one whose key had expired or whose epoch was
 * wrong ({@code dropped_rejected}), one taken for a replay ({@code replay_rejects}).
 *
 * @param pid               the gateway's process, from the counters file's header
 * @param state             "running", "stale" or "dead"
 * @param handshakes        handshakes completed with the peer, rekeys included
 * @param rekeys            handshakes completed while a session was up
 * @param handshakeFailures handshake attempts that failed
 * @param rxBytes           inner bytes received from the peer
 * @param txBytes           inner bytes sent to the peer
 * @param droppedNoKeys     the peer's {@code dropped_no_keys}
 * @param droppedUnknownIndex the gateway's {@code dropped_unknown_index}
 * @param droppedRejected   the peer's {@code dropped_rejected}
 * @param replayRejects     the peer's {@code replay_rejects}
 */
public record GatewayStatus(long pid, String state, long handshakes, long rekeys, long handshakeFailures, long rxBytes,
                            long txBytes, long droppedNoKeys, long droppedUnknownIndex, long droppedRejected,
                            long replayRejects) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The drops a rekey could cause, summed. */
    public long rekeyDrops() {
        return droppedNoKeys + droppedUnknownIndex + droppedRejected + replayRejects;
    }

    /**
     * Reads the counters file of a running gateway, as {@code qgate show --json INTERFACE} would,
     * in this process: a second JVM every sample would disturb the machine being measured.
     *
     * @throws BenchException when the file is missing, unreadable or not a counters file
     */
    public static GatewayStatus read(Path countersFile) {
        long now = System.currentTimeMillis();
        try {
            return parse(StatusJson.render(List.of(GatewaySnapshot.read(countersFile, now)), true, now));
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }

    /**
     * Parses {@code qgate show --json} output holding one gateway with one peer.
     *
     * @throws IllegalArgumentException when the text is not that JSON or a counter is missing,
     *                                  naming what is missing
     */
    public static GatewayStatus parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not the JSON of `qgate show --json`: " + e.getOriginalMessage(), e);
        }
        JsonNode gateways = root == null ? null : root.get("gateways");
        if (gateways == null || !gateways.isArray() || gateways.size() != 1) {
            throw new IllegalArgumentException("`qgate show --json` should list exactly one gateway here, not "
                + (gateways == null || !gateways.isArray() ? "none" : gateways.size()) + ".");
        }
        JsonNode gateway = gateways.get(0);
        JsonNode peers = gateway.get("peers");
        if (peers == null || !peers.isArray() || peers.size() != 1) {
            throw new IllegalArgumentException("the gateway should have exactly one peer in `qgate show --json`"
                + " (the peer list of `show`, not the count of `status`).");
        }
        JsonNode peer = peers.get(0);
        JsonNode counters = gateway.path("counters");
        return new GatewayStatus(number(gateway, "pid"), gateway.path("state").asText("?"), number(peer, "handshakes"),
            number(peer, "rekeys"), number(peer, "handshake_failures"), number(peer, "rx_bytes"), number(peer, "tx_bytes"),
            number(peer, "dropped_no_keys"), number(counters, "dropped_unknown_index"), number(peer, "dropped_rejected"),
            number(peer, "replay_rejects"));
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("`qgate show --json` has no whole number " + field + ".");
        }
        return value.asLong();
    }
}
