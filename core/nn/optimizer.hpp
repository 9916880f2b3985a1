// Optimizers over the model's one flat parameter vector.
//
// Adam (Keras defaults: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7):
//   t += 1;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon)
// (epsilon outside the square root, as Keras).
// SGD with momentum (Keras): u = momentum u - lr g;  w += u.
#pragma once

#include <armadillo>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cs {

template <typename T>
class Optimizer {
public:
    explicit Optimizer(double learning_rate) { set_learning_rate(learning_rate); }
    virtual ~Optimizer() = default;

    virtual std::string name() const = 0; // "adam" or "sgd"
    // One update of params by grads (the same size).
    void step(arma::Col<T>& params, const arma::Col<T>& grads);
    // The same update in slices, for several threads: begin_step(n) once
    // (counts the step, sizes the state to n), then update() over slices
    // [lo, hi) that cover [0, n) once each, in any order, from any threads.
    // Every rule here is elementwise: the result does not depend on the
    // slicing.
    virtual void begin_step(std::size_t n) = 0;
    virtual void update(T* params, const T* grads, std::size_t lo, std::size_t hi) = 0;

    double learning_rate() const { return lr_; }
    // SettingError unless lr is one that check_learning_rate takes.
    void set_learning_rate(double lr);
    std::uint64_t iterations() const { return t_; }

    // The optimizer's memory (moments, velocity), for model files. Restoring
    // it with the iteration count resumes training exactly.
    virtual std::vector<arma::Col<T>*> state() = 0;
    void set_iterations(std::uint64_t t) { t_ = t; }
    void reset();

protected:
    double lr_ = 0.001;
    std::uint64_t t_ = 0;
};

template <typename T>
class Adam final : public Optimizer<T> {
public:
    explicit Adam(double lr = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7);
    std::string name() const override { return "adam"; }
    void begin_step(std::size_t n) override;
    void update(T* params, const T* grads, std::size_t lo, std::size_t hi) override;
    std::vector<arma::Col<T>*> state() override { return {&m_, &v_}; }

private:
    double beta1_, beta2_, epsilon_;
    arma::Col<T> m_, v_;
    T c1_ = 1, c2_ = 1; // this step's bias corrections
};

template <typename T>
class SGD final : public Optimizer<T> {
public:
    explicit SGD(double lr = 0.01, double momentum = 0.9);
    std::string name() const override { return "sgd"; }
    void begin_step(std::size_t n) override;
    void update(T* params, const T* grads, std::size_t lo, std::size_t hi) override;
    std::vector<arma::Col<T>*> state() override { return {&velocity_}; }
    double momentum() const { return momentum_; }

private:
    double momentum_;
    arma::Col<T> velocity_;
};

// SettingError unless lr >= 0 and finite: NaN or a negative rate would
// destroy the model. 0 is allowed (nothing learns: a lesson worth showing),
// and so is a large rate (the loss then explodes, which the trainer reports).
void check_learning_rate(double lr);
// SettingError unless make_optimizer knows the name ("adam" or "sgd").
void check_optimizer_name(const std::string& name);

// "adam" or "sgd", with that optimizer's default learning rate (0.001 for
// Adam, 0.01 for SGD) unless one is given.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, std::optional<double> lr = std::nullopt);

} // namespace cs
