package io.qgate.engine.telemetry;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR event {@code io.qgate.Rekey}: a handshake while a session was up completed or failed. Committed by the control thread. */
@Name("io.qgate.Rekey")
@Label("qgate Rekey")
@Category("qgate")
@Description("New keys replaced a live session's, or the attempt failed")
public final class RekeyEvent extends Event {
    @Label("Peer")
    public String peer;

    @Label("Suite")
    public String suite;

    @Label("Handshake Duration")
    @Timespan(Timespan.NANOSECONDS)
    public long handshakeDuration;

    @Label("Outcome")
    @Description("'established', or 'failed: ' and the reason")
    public String outcome;
}
