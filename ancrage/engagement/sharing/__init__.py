"""Knowledge sharing (« partage »): takeaways shared with one's team, reactions, featuring."""
