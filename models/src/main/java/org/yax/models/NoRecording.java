package org.yax.models;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd recording off on the calling thread for one inference call, restored on close. PyTorch's grad mode is
 * per thread and DJL turns it off only on the thread that loaded the engine, so a network run on any other thread
 * (a reconstruction's worker, yax eval) recorded the graph of every forward pass: the parameters require gradients.
 * Only the PyTorch engine has the switch; on another engine this does nothing.
 */
final class NoRecording implements AutoCloseable {
    private final boolean restore;

    NoRecording() {
        boolean pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
        restore = pytorch && JniUtils.isGradMode();
        if (restore) {
            JniUtils.setGradMode(false);
        }
    }

    @Override
    public void close() {
        if (restore) {
            JniUtils.setGradMode(true);
        }
    }
}
