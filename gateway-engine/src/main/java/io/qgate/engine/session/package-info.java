/**
 * The data plane's per-session state (section 9 of {@code docs/PROTOCOL.md}): the
 * {@link io.qgate.engine.session.DataHeader} flyweight, the symmetric ratchet of each direction
 * ({@link io.qgate.engine.session.TrafficKeys}), a handshake's
 * {@link io.qgate.engine.session.Keypair} that seals and opens DATA and CLOSE packets on several
 * workers at once, a peer's previous, current and next keypairs
 * ({@link io.qgate.engine.session.Keypairs}), and the lock-free anti-replay window
 * ({@link io.qgate.engine.session.ReplayWindow}) that crypto workers consult before opening a
 * packet and commit to after its tag verifies.
 */
package io.qgate.engine.session;
