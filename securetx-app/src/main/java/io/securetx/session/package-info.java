/**
 * Operator sessions as the application sees them, free of HTTP and of any database: the {@link
 * io.securetx.session.SessionStore} port that remembers which sessions are open, keyed only by the
 * {@link io.securetx.session.SessionKey} hash of a session id, under a {@link
 * io.securetx.session.SessionPolicy} of idle and absolute lifetimes and a cap; the {@link
 * io.securetx.session.InMemorySessionStore} for one process, and the failure every store reports
 * when it cannot answer. The dashboard (adapter/http) uses the port; the database store lives in
 * adapter/sql, and only io.securetx.app puts the two together.
 */
@NullMarked
package io.securetx.session;

import org.jspecify.annotations.NullMarked;
