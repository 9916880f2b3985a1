// ExampleHistory: which examples of a probe set a training run read right,
// and how surely, at its kept steps (issue 16, "the learning history of
// examples": some images are learned at once, some late, some learned and
// then forgotten again).
//
// One column per step, from probe_step():
//   probe images (n, h, w, c), labels y (n)
//   z = network(params, images) (n, k); p = softmax(z) per row (loss.hpp)
//   predicted[i] = argmax_j p[i][j]  (the first maximum, as evaluate() takes it)
//   p_true[i]    = p[i][y_i]
//   right[i]     = predicted[i] == y_i
//
// Over the columns c = 0 .. T-1 (steps ascending), for example i:
//   learned_at(i)   steps[c*] for the smallest c* such that i is right in
//                   every column c >= c*: the step from which it stays right
//                   to the last column. None if i is wrong in the last column
//                   (or there are no columns). Right from the first column:
//                   steps[0].
//   forgotten(i)    the forgetting events (Toneva et al. 2019): columns c > 0
//                   with i right at c-1 and wrong at c. count = how many,
//                   last_step = steps[c] of the last one (none if count = 0).
//                   An example may have been learned again since (its
//                   learned_at comes after its last forgetting).
// Only the columns are seen: a forgetting between two columns that is undone
// before the next is not counted, so thinner columns undercount.
//
// Orders (a permutation of 0 .. n-1, for the rows of a view):
//   by_index          0, 1, ..., n-1
//   by_learned        learned_at ascending, never learned last; ties by index
//   forgotten_first   examples forgotten at least once first (most
//                     forgettings first, then the latest last forgetting
//                     first, then by index), then the others by_learned
#pragma once

#include "network.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace cs {

// The network's answers for every example of the probe set at one step.
struct ProbeColumn {
    std::vector<std::uint8_t> predicted; // (n) argmax of p
    std::vector<float> p_true;           // (n) p of the true class
    std::vector<std::uint8_t> right;     // (n) 1 if predicted == label

    std::size_t size() const { return predicted.size(); }
    std::size_t right_count() const;
};

// One forward of images (n, h, w, c) with params, in batches of at most
// `batch` samples, through the caller's workspace (overwritten: give it one
// of its own). ShapeError if the images do not fit the network, labels are
// not n, a label is not a class, or batch is 0. n = 0 gives an empty column.
ProbeColumn probe_step(const Network<float>& network, const arma::Col<float>& params, const Tensor<float>& images,
                       const std::vector<std::uint8_t>& labels, Workspace<float>& workspace,
                       std::size_t batch = 256);

enum class ExampleOrder { by_index, by_learned, forgotten_first };

struct Forgetting {
    std::size_t count = 0;                  // right -> wrong between adjacent columns
    std::optional<std::uint64_t> last_step; // the column's step of the last one
};

// The columns of a probe set, in step order. A plain value: copy it to hand
// it to another thread.
struct ExampleHistory {
    std::vector<std::uint64_t> steps;  // (T) ascending, one per column
    std::size_t examples = 0;          // n
    std::vector<std::uint8_t> labels;  // (n) the probe's labels
    std::vector<ProbeColumn> columns;  // (T) each of n examples

    // An empty history of n examples with these labels.
    static ExampleHistory of(std::vector<std::uint8_t> labels);

    std::size_t size() const { return steps.size(); }
    bool empty() const { return steps.empty(); }
    // Adds a column at its place in step order, replacing one at the same
    // step. ShapeError unless it has `examples` entries.
    void insert(std::uint64_t step, ProbeColumn column);
    // Drops every column whose step is not in `kept` (ascending).
    void keep_only(const std::vector<std::uint64_t>& kept);
    // The column of `step`, or -1.
    std::ptrdiff_t column_of(std::uint64_t step) const;

    bool right(std::size_t example, std::size_t column) const { return columns[column].right[example] != 0; }

    // The definitions above.
    std::optional<std::uint64_t> learned_at(std::size_t example) const;
    // c* of learned_at (the column, not its step).
    std::optional<std::size_t> learned_column(std::size_t example) const;
    Forgetting forgotten(std::size_t example) const;
    std::vector<std::size_t> order(ExampleOrder order) const;
    // Examples with a learned_at; examples forgotten at least once.
    std::size_t learned_count() const;
    std::size_t forgotten_count() const;
};

} // namespace cs
