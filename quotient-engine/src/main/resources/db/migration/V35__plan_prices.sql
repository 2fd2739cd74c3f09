-- A plan's price (amount per month or year, in a currency) and its upgrade link, for the usage
-- page's upgrade modal and the recommendation. All null: no price, the deployment's link.
ALTER TABLE plans
  ADD COLUMN price_amount   numeric,
  ADD COLUMN price_currency text,
  ADD COLUMN price_per      text,
  ADD COLUMN upgrade_url    text;
