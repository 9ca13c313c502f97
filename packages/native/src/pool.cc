#include "pool.h"

#include <sched.h>

#include <algorithm>

#include <thread>

namespace engram {

Pool& Pool::get() {
  static Pool* pool = new Pool();  // the pointer is static, the pool never destroyed
  return *pool;
}

int availableCpus() {
#ifdef __linux__
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

int lanesFor(std::size_t work, std::size_t units) {
  if (work < PARALLEL_MIN) return 1;
  std::size_t byWork = work / (PARALLEL_MIN / 2);
  return std::max(1, std::min<int>(Pool::get().lanes(), static_cast<int>(std::min(units, byWork))));
}

void Pool::setLanes(int lanes) { lanes_ = lanes < 1 ? 1 : lanes; }

void Pool::ensureWorkers(int n) {
  while (workers_ < n) {
    int lane = ++workers_;
    std::thread([this, lane] { work(lane); }).detach();
  }
}

void Pool::work(int lane) {
  unsigned long seen = 0;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return generation_ != seen; });
    seen = generation_;
    if (lane >= jobLanes_) continue;
    const std::function<void(int, int)>* job = job_;
    int lanes = jobLanes_;
    lock.unlock();
    (*job)(lane, lanes);
    lock.lock();
    if (--remaining_ == 0) done_.notify_all();
  }
}

void Pool::run(int lanes, const std::function<void(int, int)>& fn) {
  if (lanes <= 1) {
    fn(0, 1);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ensureWorkers(lanes - 1);
    job_ = &fn;
    jobLanes_ = lanes;
    remaining_ = lanes - 1;
    ++generation_;
  }
  wake_.notify_all();
  fn(0, lanes);
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return remaining_ == 0; });
  job_ = nullptr;
  jobLanes_ = 0;
}

}  // namespace engram
