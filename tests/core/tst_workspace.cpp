// One model, many workspaces: the parameters are the model's, every buffer of
// a pass is its workspace's. Two workspaces give the same numbers; a pass in
// one leaves another exactly as it was (the bug a second "view model" once
// worked around); another thread reads a parameter snapshot while the model
// trains.
#include "lenet5.hpp"
#include "loss.hpp"
#include "test_util.hpp"
#include "trainer.hpp"

#include <QTest>

#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>

using namespace cs;

namespace {

// (memcmp must not be given the null pointer of an empty buffer, even for
// no bytes: the trainer's workspace may hold no gradients, which it passes on
// to its shards.)
bool same_bits(const Tensor<float>& a, const Tensor<float>& b)
{
    return a.shape() == b.shape() && (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

bool same_bits(const arma::fvec& a, const arma::fvec& b)
{
    return a.n_elem == b.n_elem && (a.n_elem == 0 || std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(float)) == 0);
}

std::vector<std::uint8_t> cyclic_labels(std::size_t n)
{
    std::vector<std::uint8_t> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = std::uint8_t(i % 10);
    return y;
}

} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT

private slots:
    void twoWorkspacesGiveIdenticalResults()
    {
        auto model = lenet5<float>({28, 28, 1}, 11);
        const Tensor<float> x = test::random_tensor<float>({6, 28, 28, 1}, 12, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(6);
        Workspace<float> a, b;
        for (Workspace<float>* ws : {&a, &b}) {
            Tensor<float> probs, d_logits;
            softmax_cross_entropy(model->forward(x, *ws), y.data(), probs, d_logits);
            model->backward(d_logits, *ws, /*input_gradient*/ true);
        }
        for (std::size_t i = 0; i < model->layer_count(); ++i) {
            QVERIFY(same_bits(a.output(i), b.output(i)));
            QVERIFY(same_bits(a.output_gradient(i), b.output_gradient(i)));
            QVERIFY(a.output(i).data() != b.output(i).data()); // two sets of buffers
        }
        QVERIFY(same_bits(a.input_gradient(), b.input_gradient()));
        QVERIFY(same_bits(a.gradients(), b.gradients()));
        QCOMPARE(a.gradients().n_elem, model->parameter_count());
        QVERIFY(arma::any(a.gradients() != 0.0f));
        QCOMPARE(a.batch_size(), std::size_t(6));
    }

    void oneSampleElsewhereLeavesTrainingUntouched()
    {
        // Two identical models on the same data; the first also reads one
        // sample between its steps, in a workspace of its own.
        const Tensor<float> x = test::random_tensor<float>({64, 28, 28, 1}, 21, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(64);
        auto watched = lenet5<float>({28, 28, 1}, 22), plain = lenet5<float>({28, 28, 1}, 22);
        Adam<float> adam_watched, adam_plain;
        Trainer<float> trainer(*watched, adam_watched, x, y, {16, 23, true});
        Trainer<float> reference(*plain, adam_plain, x, y, {16, 23, true});
        trainer.step();
        reference.step();

        // The training workspace as the step left it (a batch of 16 is one shard).
        QCOMPARE(trainer.shard_count(), std::size_t(1));
        const Workspace<float>& ws = trainer.workspace();
        std::vector<Tensor<float>> outputs, output_gradients;
        std::vector<const float*> where;
        for (std::size_t i = 0; i < watched->layer_count(); ++i) {
            outputs.push_back(ws.output(i));
            output_gradients.push_back(ws.output_gradient(i));
            where.push_back(ws.output(i).data());
        }
        const arma::fvec gradients = ws.gradients();

        Workspace<float> one_sample;
        Tensor<float> one;
        slice_samples(x, 5, 1, one);
        const Tensor<float>& logits = watched->forward(one, one_sample);
        QCOMPARE(logits.shape(), (Shape{1, 10}));

        for (std::size_t i = 0; i < watched->layer_count(); ++i) {
            QCOMPARE(ws.output(i).data(), where[i]); // not resized to a batch of one
            QVERIFY(same_bits(ws.output(i), outputs[i]));
            QVERIFY(same_bits(ws.output_gradient(i), output_gradients[i]));
        }
        QVERIFY(same_bits(ws.gradients(), gradients));

        // And the next step is exactly the one the plain model takes.
        const StepResult a = trainer.step(), b = reference.step();
        QCOMPARE(a.loss, b.loss);
        QVERIFY(same_bits(watched->parameters(), plain->parameters()));
    }

    void forwardOnASnapshotWhileTheModelTrains()
    {
        // The worker's pattern: the training thread publishes copies of the
        // parameters between steps; this thread reads the latest through the
        // shared, immutable network with a workspace of its own.
        const Tensor<float> x = test::random_tensor<float>({48, 28, 28, 1}, 31, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(48);
        auto model = lenet5<float>({28, 28, 1}, 32);
        const std::shared_ptr<const Network<float>> network = model->shared_network();
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, x, y, {8, 33, true});

        std::mutex mutex;
        std::shared_ptr<const arma::fvec> latest = model->snapshot();
        std::atomic<bool> done{false};
        std::thread training([&] {
            for (int s = 0; s < 30; ++s) {
                trainer.step();
                auto snapshot = model->snapshot();
                const std::lock_guard<std::mutex> lock(mutex);
                latest = std::move(snapshot);
            }
            done = true;
        });

        Tensor<float> one;
        slice_samples(x, 0, 1, one);
        Workspace<float> reading;
        int reads = 0;
        std::vector<std::shared_ptr<const arma::fvec>> seen;
        std::vector<Tensor<float>> logits;
        while (!done || reads == 0) {
            std::shared_ptr<const arma::fvec> params;
            {
                const std::lock_guard<std::mutex> lock(mutex);
                params = latest;
            }
            logits.push_back(network->forward(*params, one, reading));
            seen.push_back(std::move(params));
            ++reads;
        }
        training.join();

        // Every reading is what a model holding that snapshot computes.
        auto check = make_model<float>({28, 28, 1}, network->architecture(), 0);
        Workspace<float> fresh;
        for (std::size_t i = 0; i < seen.size(); i += std::max<std::size_t>(1, seen.size() / 20)) {
            check->set_parameters(*seen[i]);
            QVERIFY(same_bits(check->forward(one, fresh), logits[i]));
        }
        QVERIFY(!same_bits(*seen.front(), model->parameters())); // it did train meanwhile
    }

    void badUse()
    {
        auto model = lenet5<float>({28, 28, 1}, 41);
        const Tensor<float> x(Shape{2, 28, 28, 1});
        Workspace<float> ws;
        // Backward before any forward through this workspace.
        const Tensor<float> d_logits(Shape{2, 10});
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->backward(d_logits, ws));
        model->forward(x, ws);
        // dL/dlogits of another batch size than the forward's.
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->backward(Tensor<float>(Shape{3, 10}), ws));
        // A parameter vector of another size.
        const arma::fvec short_params(model->parameter_count() - 1, arma::fill::zeros);
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->network().forward(short_params, x, ws));
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->network().backward(short_params, d_logits, ws));
        // A refused batch leaves the workspace's last pass as it was.
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->forward(Tensor<float>(Shape{2, 27, 28, 1}), ws));
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->forward(Tensor<float>(Shape{0, 28, 28, 1}), ws));
        QCOMPARE(ws.batch_size(), std::size_t(2));
        model->backward(d_logits, ws);
        QCOMPARE(ws.gradients().n_elem, model->parameter_count());
        // An unbuilt model shares no architecture and has no parameters.
        Sequential<float> unbuilt({28, 28, 1});
        unbuilt.add(make_layer<float>({"flatten"}));
        QVERIFY_THROWS_EXCEPTION(ShapeError, unbuilt.shared_network());
        QVERIFY_THROWS_EXCEPTION(ShapeError, unbuilt.layer_parameters(0));
        QVERIFY_THROWS_EXCEPTION(ShapeError, unbuilt.initialize(1));
        // A built one takes no more layers.
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->add(make_layer<float>({"flatten"})));
    }

    void aWorkspaceMovesBetweenNetworks()
    {
        // One workspace through two different architectures in turn: it
        // adapts, and gives each the numbers a fresh workspace gives.
        auto big = lenet5<float>({28, 28, 1}, 51), small = lenet5<float>({12, 12, 1}, 52, 3);
        const Tensor<float> a = test::random_tensor<float>({2, 28, 28, 1}, 53, 0, 1);
        const Tensor<float> b = test::random_tensor<float>({3, 12, 12, 1}, 54, 0, 1);
        Workspace<float> shared, fresh_a, fresh_b;
        QVERIFY(same_bits(big->forward(a, shared), big->forward(a, fresh_a)));
        QVERIFY(same_bits(small->forward(b, shared), small->forward(b, fresh_b)));
        QVERIFY(same_bits(big->forward(a, shared), big->forward(a, fresh_a)));
    }
};

QTEST_APPLESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
