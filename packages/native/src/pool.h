// A tiny fork-join pool for the elementwise kernels and batched products.
//
// Measured pitfall: a pool held in a static object hung the process at exit
// (its destructor joined workers blocked on a condition variable while the
// runtime tore down). This one is heap-allocated, never destroyed, and its
// threads are detached: at exit they are simply gone with the process.
// Idle workers sleep on a condition variable (no busy-waiting).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>

namespace engram {

class Pool {
 public:
  /** The process-wide pool; its worker threads start on first use. */
  static Pool& get();

  /** Sets the number of lanes (caller + workers) from the next run on; 1 = no workers. Never shrinks the thread count. */
  void setLanes(int lanes);
  int lanes() const { return lanes_; }

  /** Runs fn(lane, lanes) for lane = 0..lanes-1 (lane 0 on the calling thread) and waits for all of them. */
  void run(int lanes, const std::function<void(int, int)>& fn);

 private:
  Pool() = default;
  void ensureWorkers(int n);
  void work(int lane);

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int, int)>* job_ = nullptr;
  int jobLanes_ = 0;
  int remaining_ = 0;
  unsigned long generation_ = 0;
  int workers_ = 0;
  int lanes_ = 1;
};

/**
 * Elements of work from which the elementwise and layout kernels split over
 * lanes: waking a worker measured 30-100 us here (a 128k-float multiply took
 * 137 us on two lanes, 23 us on one); at 256k two lanes win (exp 87 vs 133 us,
 * add 56 vs 76).
 */
constexpr std::size_t PARALLEL_MIN = 1 << 18;

/** Lanes for `work` elements split into at most `units` independent pieces: 1 below PARALLEL_MIN, else up to the pool's lanes. */
int lanesFor(std::size_t work, std::size_t units = SIZE_MAX);

/** CPUs this process may run on (sched_getaffinity), at least 1. */
int availableCpus();

}  // namespace engram
