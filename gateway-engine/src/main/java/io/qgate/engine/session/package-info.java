/**
 * Per-session receive state of the data plane: the lock-free anti-replay window
 * ({@link io.qgate.engine.session.ReplayWindow}) that crypto workers consult before opening a
 * packet and commit to after its tag verifies.
 */
package io.qgate.engine.session;
