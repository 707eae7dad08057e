package io.qgate.engine.telemetry;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR event {@code io.qgate.Handshake}: a handshake completed or failed. Committed by the control thread. */
@Name("io.qgate.Handshake")
@Label("qgate Handshake")
@Category("qgate")
@Description("A handshake with a peer completed or failed")
public final class HandshakeEvent extends Event {
    @Label("Peer")
    @Description("The configured peer's name, or the source address when no peer was identified")
    public String peer;

    @Label("Suite")
    public String suite;

    @Label("Handshake Duration")
    @Description("From the first initiation (initiator) or the initiation (responder) to the session; -1 if unknown")
    @Timespan(Timespan.NANOSECONDS)
    public long handshakeDuration;

    @Label("Outcome")
    @Description("'established', or 'failed: ' and the reason")
    public String outcome;

    @Label("Initiator")
    public boolean initiator;
}
