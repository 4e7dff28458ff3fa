/**
 * The broker and result backend kept in this process's memory: the embedded mode's queue, and the
 * reference every other implementation is tested against (they run the same contract suite).
 * Nothing survives the process.
 */
@NullMarked
package io.securetx.task.memory;

import org.jspecify.annotations.NullMarked;
