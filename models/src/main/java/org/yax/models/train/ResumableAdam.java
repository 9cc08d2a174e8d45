package org.yax.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Adam (Kingma and Ba) whose moments can be saved with a checkpoint and restored, so a resumed run takes
 * exactly the steps an uninterrupted one would (DJL's Adam keeps its state private). The learning rate
 * is a function of the step, so the schedule also survives a restart.
 */
public final class ResumableAdam extends Optimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final IntToDoubleFunction learningRate;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private int step;

    public ResumableAdam(IntToDoubleFunction learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
    }

    /** Number of completed optimisation steps. */
    public int step() {
        return step;
    }

    /** Called once per training step, after every parameter was updated. */
    public void endStep() {
        step++;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        NDArray[] mv = moments.computeIfAbsent(parameterId, id -> new NDArray[] {
            weight.zerosLike(), weight.zerosLike()});
        int t = step + 1;
        float lr = (float) learningRate.applyAsDouble(step);
        float correction1 = (float) (1 - Math.pow(BETA1, t));
        float correction2 = (float) (1 - Math.pow(BETA2, t));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            mv[0].muli(BETA1).addi(grad.mul(1 - BETA1));
            mv[1].muli(BETA2).addi(grad.square().muli(1 - BETA2));
            NDArray denom = mv[1].div(correction2).sqrt().addi(EPSILON);
            // through a detached view of the same storage: threads start with PyTorch's grad mode on, where an
            // in-place update of a leaf that requires gradients is refused
            weight.stopGradient().subi(mv[0].mul(lr / correction1).divi(denom));
        }
    }

    /**
     * Writes the step and the moments, keyed by parameter name: DJL's parameter ids are random per run.
     *
     * @param names parameter id -> its name in the block (stable across runs)
     */
    public void save(DataOutputStream out, Map<String, String> names) throws IOException {
        out.writeInt(step);
        out.writeInt(moments.size());
        for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
            out.writeUTF(names.get(e.getKey()));
            for (NDArray a : e.getValue()) {
                float[] v = a.toFloatArray();
                out.writeInt(v.length);
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
    }

    /**
     * Restores the state written by {@link #save}; moments are created in {@code manager}.
     *
     * @param parameters name -> parameter of the block being trained
     */
    public void load(DataInputStream in, NDManager manager, Map<String, Parameter> parameters) throws IOException {
        step = in.readInt();
        int n = in.readInt();
        moments.clear();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            Parameter parameter = parameters.get(name);
            if (parameter == null) {
                throw new IOException("optimizer state names an unknown parameter " + name);
            }
            NDArray weight = parameter.getArray();
            String id = parameter.getId();
            NDArray[] mv = new NDArray[2];
            for (int k = 0; k < 2; k++) {
                float[] v = new float[in.readInt()];
                if (v.length != weight.size()) {
                    throw new IOException("optimizer state of " + name + " has " + v.length + " values, expected " + weight.size());
                }
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readFloat();
                }
                mv[k] = manager.create(v, weight.getShape());
            }
            moments.put(id, mv);
        }
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
