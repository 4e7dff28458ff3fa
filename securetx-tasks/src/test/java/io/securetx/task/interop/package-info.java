/**
 * Interop tests against the real Python Celery 5.2 peer: {@link
 * io.securetx.task.interop.CeleryPeer} starts workers of {@code src/test/python/celery_peer.py} and
 * runs {@code celery_client.py}, so Java producers and workers can be checked against stock Celery
 * on a shared Redis. {@code PythonPeerSelfTestIT} proves the harness Python-to-Python.
 */
package io.securetx.task.interop;
