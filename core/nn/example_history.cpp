#include "example_history.hpp"

#include "loss.hpp"
#include "trainer.hpp"

#include <algorithm>
#include <numeric>
#include <string>

namespace cs {

std::size_t ProbeColumn::right_count() const
{
    return std::size_t(std::count(right.begin(), right.end(), std::uint8_t(1)));
}

ProbeColumn probe_step(const Network<float>& network, const arma::Col<float>& params, const Tensor<float>& images,
                       const std::vector<std::uint8_t>& labels, Workspace<float>& workspace, std::size_t batch)
{
    if (batch == 0) throw ShapeError("probe_step: the batch size must be at least 1");
    const Shape& s = network.input_shape();
    if (images.rank() != 4 || images.dim(1) != s[0] || images.dim(2) != s[1] || images.dim(3) != s[2])
        throw ShapeError("probe_step: images " + images.shape().str() + " do not match the network's input " +
                         s.str());
    const std::size_t n = images.dim(0), k = network.classes();
    if (labels.size() != n)
        throw ShapeError("probe_step: " + std::to_string(n) + " images but " + std::to_string(labels.size()) +
                         " labels");
    for (std::uint8_t y : labels)
        if (y >= k)
            throw ShapeError("probe_step: label " + std::to_string(y) + " but the network has " + std::to_string(k) +
                             " classes");
    ProbeColumn column;
    column.predicted.resize(n);
    column.p_true.resize(n);
    column.right.resize(n);
    Tensor<float> chunk, probs;
    for (std::size_t first = 0; first < n; first += batch) {
        const std::size_t m = std::min(batch, n - first);
        // A probe set that fits one batch (the usual 200) goes in as it is:
        // forward copies its batch into the workspace anyway.
        if (m != n) slice_samples(images, first, m, chunk);
        softmax(network.forward(params, m == n ? images : chunk, workspace), probs);
        for (std::size_t i = 0; i < m; ++i) {
            const float* p = probs.data() + i * k;
            const std::size_t best = std::size_t(std::max_element(p, p + k) - p);
            const std::uint8_t y = labels[first + i];
            column.predicted[first + i] = std::uint8_t(best);
            column.p_true[first + i] = p[y];
            column.right[first + i] = best == y ? 1 : 0;
        }
    }
    return column;
}

ExampleHistory ExampleHistory::of(std::vector<std::uint8_t> labels)
{
    ExampleHistory h;
    h.examples = labels.size();
    h.labels = std::move(labels);
    return h;
}

void ExampleHistory::insert(std::uint64_t step, ProbeColumn column)
{
    if (column.predicted.size() != examples || column.p_true.size() != examples || column.right.size() != examples)
        throw ShapeError("ExampleHistory: a column of " + std::to_string(column.size()) + " examples for a history of " +
                         std::to_string(examples));
    const auto at = std::lower_bound(steps.begin(), steps.end(), step);
    const auto c = std::size_t(at - steps.begin());
    if (at != steps.end() && *at == step) {
        columns[c] = std::move(column);
        return;
    }
    steps.insert(at, step);
    columns.insert(columns.begin() + std::ptrdiff_t(c), std::move(column));
}

void ExampleHistory::keep_only(const std::vector<std::uint64_t>& kept)
{
    std::size_t out = 0;
    for (std::size_t c = 0; c < steps.size(); ++c) {
        if (!std::binary_search(kept.begin(), kept.end(), steps[c])) continue;
        if (out != c) {
            steps[out] = steps[c];
            columns[out] = std::move(columns[c]);
        }
        ++out;
    }
    steps.resize(out);
    columns.resize(out);
}

std::ptrdiff_t ExampleHistory::column_of(std::uint64_t step) const
{
    const auto at = std::lower_bound(steps.begin(), steps.end(), step);
    return at != steps.end() && *at == step ? at - steps.begin() : -1;
}

std::optional<std::size_t> ExampleHistory::learned_column(std::size_t example) const
{
    // Back from the last column while it stays right.
    std::size_t c = columns.size();
    while (c > 0 && right(example, c - 1)) --c;
    if (c == columns.size()) return std::nullopt;
    return c;
}

std::optional<std::uint64_t> ExampleHistory::learned_at(std::size_t example) const
{
    const auto c = learned_column(example);
    if (!c) return std::nullopt;
    return steps[*c];
}

Forgetting ExampleHistory::forgotten(std::size_t example) const
{
    Forgetting f;
    for (std::size_t c = 1; c < columns.size(); ++c)
        if (right(example, c - 1) && !right(example, c)) {
            ++f.count;
            f.last_step = steps[c];
        }
    return f;
}

std::vector<std::size_t> ExampleHistory::order(ExampleOrder order) const
{
    std::vector<std::size_t> rows(examples);
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    if (order == ExampleOrder::by_index) return rows;
    // Each example's keys once (each costs a pass over the columns).
    std::vector<std::size_t> learned(examples);
    std::vector<Forgetting> forgot(order == ExampleOrder::forgotten_first ? examples : 0);
    for (std::size_t i = 0; i < examples; ++i) {
        // Never learned sorts after every column.
        learned[i] = learned_column(i).value_or(columns.size());
        if (!forgot.empty()) forgot[i] = forgotten(i);
    }
    const auto by_learned = [&](std::size_t a, std::size_t b) {
        return learned[a] != learned[b] ? learned[a] < learned[b] : a < b;
    };
    if (order == ExampleOrder::by_learned) {
        std::sort(rows.begin(), rows.end(), by_learned);
        return rows;
    }
    std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        const Forgetting &fa = forgot[a], &fb = forgot[b];
        if ((fa.count > 0) != (fb.count > 0)) return fa.count > 0;
        if (fa.count == 0) return by_learned(a, b);
        if (fa.count != fb.count) return fa.count > fb.count;
        if (fa.last_step != fb.last_step) return fa.last_step > fb.last_step;
        return a < b;
    });
    return rows;
}

std::size_t ExampleHistory::learned_count() const
{
    std::size_t n = 0;
    if (columns.empty()) return 0;
    for (std::size_t i = 0; i < examples; ++i) n += right(i, columns.size() - 1);
    return n;
}

std::size_t ExampleHistory::forgotten_count() const
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < examples; ++i) n += forgotten(i).count > 0;
    return n;
}

} // namespace cs
