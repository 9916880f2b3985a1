#include "trainer.hpp"

#include "stream_copy.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <type_traits>

namespace cs {

namespace {

constexpr std::size_t optimizer_slice_values = 16384;

// Whether x[0..n) holds no NaN and no infinity: a value is finite unless its
// exponent bits are all ones. Integer tests and an OR, which vectorise (a
// float test in a loop does not).
template <typename T>
bool all_finite(const T* x, std::size_t n)
{
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    constexpr Bits exponent = sizeof(T) == 4 ? Bits(0x7f800000u) : Bits(0x7ff0000000000000ull);
    Bits not_finite = 0;
    for (std::size_t i = 0; i < n; ++i) {
        Bits bits;
        std::memcpy(&bits, x + i, sizeof bits);
        not_finite |= Bits((bits & exponent) == exponent);
    }
    return not_finite == 0;
}

} // namespace

template <typename T>
Trainer<T>::Trainer(Sequential<T>& model, Optimizer<T>& optimizer, const Tensor<T>& images,
                    const std::vector<std::uint8_t>& labels, TrainerOptions options)
    : model_(&model), optimizer_(&optimizer), options_(options)
{
    set_batch_size(options.batch_size);
    set_threads(options.threads);
    set_data(images, labels);
}

template <typename T>
void Trainer<T>::set_threads(std::size_t threads)
{
    threads = std::max<std::size_t>(threads, 1);
    if (team_ && team_->threads() == threads) return;
    team_.reset(); // its threads end before the new ones start
    team_ = std::make_unique<WorkerTeam>(threads);
    lanes_.resize(threads);
    options_.threads = threads;
}

template <typename T>
void Trainer<T>::set_data(const Tensor<T>& images, const std::vector<std::uint8_t>& labels)
{
    const Shape& s = model_->input_shape();
    if (images.rank() != 4 || images.dim(1) != s[0] || images.dim(2) != s[1] || images.dim(3) != s[2])
        throw ShapeError("Trainer: images " + images.shape().str() + " do not match the model's input " + s.str());
    if (images.dim(0) != labels.size())
        throw ShapeError("Trainer: " + std::to_string(images.dim(0)) + " images but " +
                         std::to_string(labels.size()) + " labels");
    if (labels.empty()) throw ShapeError("Trainer: no training samples");
    for (std::uint8_t y : labels)
        if (y >= model_->classes())
            throw ShapeError("Trainer: label " + std::to_string(y) + " but the model has " +
                             std::to_string(model_->classes()) + " classes");
    images_ = &images;
    labels_ = &labels;
    position_ = 0;
    shuffle_epoch();
}

template <typename T>
void Trainer<T>::set_batch_size(std::size_t batch)
{
    if (batch == 0) throw ShapeError("Trainer: the batch size must be at least 1");
    options_.batch_size = batch;
}

template <typename T>
void Trainer<T>::set_progress(std::uint64_t steps, std::size_t epoch, std::size_t position)
{
    steps_ = steps;
    epoch_ = epoch;
    position_ = std::min(position, samples());
    shuffle_epoch();
}

template <typename T>
void Trainer<T>::shuffle_epoch()
{
    order_.resize(samples());
    std::iota(order_.begin(), order_.end(), std::size_t(0));
    if (!options_.shuffle) return;
    // Fisher-Yates on mt19937_64 seeded from (seed, epoch): the same order on
    // every platform, and any epoch's order can be rebuilt when resuming.
    std::mt19937_64 rng(options_.seed * 0x9E3779B97F4A7C15ull + epoch_ + 1);
    for (std::size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng() % i]);
}

template <typename T>
void Trainer<T>::run_shard(Shard& shard, Lane& lane, std::size_t batch, const PassMode& mode)
{
    const Shape& s = model_->input_shape();
    const std::size_t sample = s.elements();
    lane.batch.resize({shard.count, s[0], s[1], s[2]});
    lane.labels.resize(shard.count);
    for (std::size_t k = 0; k < shard.count; ++k) {
        const std::size_t i = order_[position_ + shard.first + k];
        std::memcpy(lane.batch.data() + k * sample, images_->data() + i * sample, sample * sizeof(T));
        lane.labels[k] = (*labels_)[i];
    }
    const Tensor<T>& logits = model_->forward(lane.batch, lane.workspace, mode);
    // dL/dz divided by the whole batch's size: the shards' gradients add up
    // to the batch's mean-loss gradient.
    shard.result = softmax_cross_entropy(logits, lane.labels.data(), lane.probs, lane.d_logits, batch);
    model_->backward(lane.d_logits, lane.workspace);
    lane.workspace.swap_gradients(shard.gradients); // no copy; backward overwrites what the lane gets back
    lane.warm = std::max(lane.warm, shard.count);
}

// Which thread runs which shard varies from step to step (worker_team.hpp):
// a thread kept off its core by other work may run none for a few steps, and
// its lane would then grow its buffers in a later step. So every lane runs a
// shard of the largest size here, on the calling thread, before any is
// needed (its result is dropped), and every gradient buffer gets its size:
// once warm, a step allocates nothing whichever thread runs what.
template <typename T>
void Trainer<T>::warm_up(std::size_t count, std::size_t largest, std::size_t batch, const PassMode& mode)
{
    const std::size_t P = model_->parameter_count();
    for (std::size_t k = 0; k < count; ++k)
        if (shards_[k].gradients.n_elem != P) shards_[k].gradients.set_size(P);
    if (gradients_.n_elem != P) gradients_.set_size(P);
    for (Lane& lane : lanes_) {
        if (lane.warm >= largest) continue;
        Shard scratch;
        scratch.count = largest;
        scratch.gradients.set_size(P);
        run_shard(scratch, lane, batch, mode);
        lane.workspace.swap_gradients(scratch.gradients); // the lane keeps a buffer of its size
    }
}

template <typename T>
StepResult Trainer<T>::step(T* parameters_to)
{
    const std::size_t n = std::min(options_.batch_size, samples() - position_);
    // A position at the end of the data (a session file may say so) leaves
    // no sample: refused, as an empty batch always was (found by fuzz_session).
    if (n == 0)
        throw ShapeError("Trainer: no samples left at position " + std::to_string(position_) + " of " +
                         std::to_string(samples()));
    // The cut depends on n alone (trainer.hpp): sizes base or base + 1.
    const std::size_t count = (n + trainer_shard_samples - 1) / trainer_shard_samples;
    const std::size_t base = n / count, extra = n % count;
    if (shards_.size() < count) shards_.resize(count);
    for (std::size_t k = 0, first = 0; k < count; ++k) {
        shards_[k].first = first;
        shards_[k].count = base + (k < extra ? 1 : 0);
        first += shards_[k].count;
    }
    shards_in_step_ = count;

    // Dropout on, its masks drawn from (seed, step) and each unit's place in
    // the whole batch: a step is reproducible, however it is cut.
    const std::uint64_t seed = options_.seed * 0xD1B54A32D192ED03ull + steps_ + 1;
    warm_up(count, base + (extra ? 1 : 0), n, PassMode{true, seed, 0});
    team_->run(count, [&](std::size_t k, std::size_t thread) {
        run_shard(shards_[k], lanes_[thread], n, PassMode{true, seed, shards_[k].first});
    });

    // The batch's mean loss and its gradient, added in shard order.
    double loss = 0;
    std::size_t correct = 0;
    for (std::size_t k = 0; k < count; ++k) {
        loss += shards_[k].result.loss * double(shards_[k].count);
        correct += shards_[k].result.correct;
    }
    loss /= double(n);
    if (!std::isfinite(loss))
        throw DivergenceError("the loss is no longer a number (NaN or infinite): lower the learning rate");
    const std::size_t P = model_->parameter_count();
    // Each thread adds up one slice of the parameters, every element in
    // shard order, so that the sum does not depend on the slicing. The sum
    // is taken in shard 0's buffer, which then becomes gradients_ (a swap:
    // the old buffer goes back to the lanes, whose backward overwrites it).
    const std::size_t slices = std::min(team_->threads(), count);
    std::atomic<bool> finite{true};
    team_->run(slices, [&](std::size_t j, std::size_t) {
        const std::size_t lo = P * j / slices, hi = P * (j + 1) / slices;
        T* __restrict sum = shards_[0].gradients.memptr();
        for (std::size_t k = 1; k < count; ++k) {
            const T* __restrict part = shards_[k].gradients.memptr();
            for (std::size_t i = lo; i < hi; ++i) sum[i] += part[i];
        }
        if (!all_finite(sum + lo, hi - lo)) finite = false;
    });
    gradients_.swap(shards_[0].gradients);
    if (!finite)
        throw DivergenceError("the gradients are no longer finite: lower the learning rate");
    // The update, elementwise, in slices on the team's threads (a slice
    // of at least optimizer_slice_values: a small model's update is not worth
    // waking a thread for).
    T* params = model_->parameters().memptr();
    const T* grads = gradients_.memptr();
    optimizer_->begin_step(P);
    const std::size_t parts = std::clamp<std::size_t>(P / optimizer_slice_values, 1, team_->threads());
    team_->run(parts, [&](std::size_t j, std::size_t) {
        const std::size_t lo = P * j / parts, hi = P * (j + 1) / parts;
        optimizer_->update(params, grads, lo, hi);
        if (parameters_to) copy_streaming(params + lo, parameters_to + lo, hi - lo); // still in the cache
    });

    StepResult out;
    out.loss = loss;
    out.accuracy = double(correct) / double(n);
    out.batch = n;
    out.step = ++steps_;
    out.epoch = epoch_;
    position_ += n;
    if (position_ >= samples()) {
        out.epoch_done = true;
        ++epoch_;
        position_ = 0;
        shuffle_epoch();
    }
    return out;
}

template <typename T>
void slice_samples(const Tensor<T>& images, std::size_t first, std::size_t count, Tensor<T>& out)
{
    if (images.rank() != 4 || first + count > images.dim(0))
        throw ShapeError("slice_samples: samples [" + std::to_string(first) + ", " + std::to_string(first + count) +
                         ") of " + images.shape().str());
    const std::size_t sample = images.size() / images.dim(0);
    out.resize({count, images.dim(1), images.dim(2), images.dim(3)});
    std::memcpy(out.data(), images.data() + first * sample, count * sample * sizeof(T));
}

namespace {

// The checks and the sizes of an evaluation; the chunks fill it in.
template <typename T>
Evaluation start_evaluation(const Sequential<T>& model, const Tensor<T>& images,
                            const std::vector<std::uint8_t>& labels, std::size_t batch)
{
    if (images.rank() != 4 || images.dim(0) != labels.size())
        throw ShapeError("evaluate: images " + images.shape().str() + " and " + std::to_string(labels.size()) +
                         " labels");
    if (batch == 0) throw ShapeError("evaluate: the batch size must be at least 1");
    Evaluation e;
    e.classes = model.classes();
    e.predictions.resize(labels.size());
    e.confidence.resize(labels.size());
    return e;
}

// Samples [first, first + n): their predictions and confidences into e
// (each chunk writes its own), their mean loss and right answers returned.
// chunk, probs, d_logits and workspace: buffers reused from chunk to chunk.
template <typename T>
LossResult evaluate_chunk(const Sequential<T>& model, const Tensor<T>& images, const std::vector<std::uint8_t>& labels,
                          std::size_t first, std::size_t n, Tensor<T>& chunk, Tensor<T>& probs, Tensor<T>& d_logits,
                          Workspace<T>& workspace, Evaluation& e)
{
    slice_samples(images, first, n, chunk);
    const LossResult r = softmax_cross_entropy(model.forward(chunk, workspace), labels.data() + first, probs, d_logits);
    for (std::size_t k = 0; k < n; ++k) {
        const T* p = probs.data() + k * e.classes;
        const std::size_t best = std::size_t(std::max_element(p, p + e.classes) - p);
        e.predictions[first + k] = std::uint8_t(best);
        e.confidence[first + k] = float(p[best]);
    }
    return r;
}

// The chunks' losses added in chunk order (the same sum however many
// threads ran them), and the confusion matrix from the predictions.
void finish_evaluation(const std::vector<LossResult>& chunks, std::size_t batch,
                       const std::vector<std::uint8_t>& labels, Evaluation& e)
{
    double total = 0;
    std::size_t correct = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        total += chunks[c].loss * double(std::min(batch, labels.size() - c * batch));
        correct += chunks[c].correct;
    }
    e.confusion.assign(e.classes * e.classes, 0);
    for (std::size_t i = 0; i < labels.size(); ++i) ++e.confusion[labels[i] * e.classes + e.predictions[i]];
    e.loss = labels.empty() ? 0 : total / double(labels.size());
    e.accuracy = labels.empty() ? 0 : double(correct) / double(labels.size());
}

} // namespace

template <typename T>
Evaluation Trainer<T>::evaluate(const Tensor<T>& images, const std::vector<std::uint8_t>& labels, std::size_t batch)
{
    Evaluation e = start_evaluation(*model_, images, labels, batch);
    const std::size_t chunks = (labels.size() + batch - 1) / batch;
    evaluation_lanes_.resize(team_->threads());
    evaluation_chunks_.resize(chunks);
    team_->run(chunks, [&](std::size_t c, std::size_t thread) {
        const std::size_t first = c * batch;
        EvaluationLane& l = evaluation_lanes_[thread];
        evaluation_chunks_[c] = evaluate_chunk(*model_, images, labels, first, std::min(batch, labels.size() - first),
                                               l.chunk, l.probs, l.d_logits, l.workspace, e);
    });
    finish_evaluation(evaluation_chunks_, batch, labels, e);
    return e;
}

template <typename T>
Evaluation evaluate(const Sequential<T>& model, const Tensor<T>& images, const std::vector<std::uint8_t>& labels,
                    Workspace<T>& workspace, std::size_t batch)
{
    Evaluation e = start_evaluation(model, images, labels, batch);
    Tensor<T> chunk, probs, d_logits;
    std::vector<LossResult> chunks;
    for (std::size_t first = 0; first < labels.size(); first += batch)
        chunks.push_back(evaluate_chunk(model, images, labels, first, std::min(batch, labels.size() - first), chunk,
                                        probs, d_logits, workspace, e));
    finish_evaluation(chunks, batch, labels, e);
    return e;
}

template <typename T>
Evaluation evaluate(const Sequential<T>& model, const Tensor<T>& images, const std::vector<std::uint8_t>& labels,
                    std::size_t batch)
{
    Workspace<T> workspace;
    return evaluate(model, images, labels, workspace, batch);
}

template <typename T>
Tensor<T> predict(const Sequential<T>& model, const Tensor<T>& images, Workspace<T>& workspace, std::size_t batch)
{
    if (images.rank() != 4) throw ShapeError("predict: images must be (n, h, w, c), not " + images.shape().str());
    if (batch == 0) throw ShapeError("predict: the batch size must be at least 1");
    const std::size_t k = model.classes();
    Tensor<T> out({images.dim(0), k}), chunk, probs;
    for (std::size_t first = 0; first < images.dim(0); first += batch) {
        const std::size_t n = std::min(batch, images.dim(0) - first);
        slice_samples(images, first, n, chunk);
        softmax(model.forward(chunk, workspace), probs);
        std::memcpy(out.data() + first * k, probs.data(), n * k * sizeof(T));
    }
    return out;
}

template <typename T>
Tensor<T> predict(const Sequential<T>& model, const Tensor<T>& images, std::size_t batch)
{
    Workspace<T> workspace;
    return predict(model, images, workspace, batch);
}

template class Trainer<float>;
template class Trainer<double>;
#define CS_INSTANTIATE(T)                                                                                              \
    template Evaluation evaluate<T>(const Sequential<T>&, const Tensor<T>&, const std::vector<std::uint8_t>&,          \
                                    Workspace<T>&, std::size_t);                                                       \
    template Evaluation evaluate<T>(const Sequential<T>&, const Tensor<T>&, const std::vector<std::uint8_t>&,          \
                                    std::size_t);                                                                      \
    template Tensor<T> predict<T>(const Sequential<T>&, const Tensor<T>&, Workspace<T>&, std::size_t);                 \
    template Tensor<T> predict<T>(const Sequential<T>&, const Tensor<T>&, std::size_t);
CS_INSTANTIATE(float)
CS_INSTANTIATE(double)
#undef CS_INSTANTIATE
template void slice_samples<float>(const Tensor<float>&, std::size_t, std::size_t, Tensor<float>&);
template void slice_samples<double>(const Tensor<double>&, std::size_t, std::size_t, Tensor<double>&);

} // namespace cs
